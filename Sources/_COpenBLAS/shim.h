// The C surface of OpenBLAS and LAPACKE that the LinearAlgebra module wraps.
// Debian puts cblas.h under openblas-pthread/ (found through pkg-config) and lapacke.h in /usr/include.
#ifndef LEADSCORE_COPENBLAS_SHIM_H
#define LEADSCORE_COPENBLAS_SHIM_H

#include <cblas.h>
#include <lapacke.h>

// `lapack_int` is a macro, which Swift cannot import: give it a name Swift can see.
typedef lapack_int leadscore_lapack_int;

#endif
