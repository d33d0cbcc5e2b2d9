/// The login page of `serve --token-file` (`GET /login`): a form that posts the token, and the page to go back to, to
/// `POST /login`. It shows nothing about the model: whoever sees it has not logged in yet.
public enum LoginPage {
    /// The page; `error` is shown above the form (after a wrong token), `next` goes back with the form as a hidden field.
    public static func html(error: String?, next: String?) -> HTML {
        let error: HTML = error.map { "<p class=\"error\" role=\"alert\">\($0)</p>\n" as HTML } ?? ""
        let next: HTML = next.map { "<input type=\"hidden\" name=\"next\" value=\"\($0)\">\n" as HTML } ?? ""
        let content: HTML = """
            <h1>Log in to leadscore</h1>
            \(error)<form class="score" method="post" action="/login">
            \(next)<div class="field"><label for="token">Token</label><input type="password" id="token" name="token" autocomplete="current-password" required></div>
            <button class="primary" type="submit">Log in</button>
            </form>
            <p>The token is the one in the file the server was started with (<code>leadscore serve --token-file</code>).</p>

            """
        return PageFrame.shell(title: "Log in", nav: "", content: content, foot: "")
    }
}
