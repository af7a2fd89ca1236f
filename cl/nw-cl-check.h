/* nw-cl-check.h: every OpenCL call's status goes through NW_CL_CHECK.
 *
 * A failing status becomes a GError (NW_ERROR, NW_ERROR_BACKEND; NW_ERROR_NO_MEMORY for the
 * allocation codes) that names the call, the code's name and the site:
 *
 *   clEnqueueNDRangeKernel failed: CL_OUT_OF_RESOURCES (-5) at cl/nw-backend-cl.c:123
 *
 * Calls that return a status are wrapped directly:
 *
 *   if (!NW_CL_CHECK (clFinish (queue), error)) return FALSE;
 *
 * Calls that return an object and write their status through a pointer are wrapped with a
 * comma expression, so the call's name still appears in the checked text:
 *
 *   NW_CL_CHECK ((mem = clCreateBuffer (ctx, flags, bytes, NULL, &st), st), error)
 *
 * A status kept from an earlier call (to look at it first) is checked with the function,
 * naming the call by hand: nw_cl_check (status, "clGetPlatformIDs", G_STRLOC, error).
 *
 * The error is set only if *error is still NULL, so passing a backend's sticky error slot
 * keeps the first failure (the one that explains the rest). */
#pragma once

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>
#include <glib.h>

G_BEGIN_DECLS

/* "CL_OUT_OF_RESOURCES" for -5; every OpenCL 1.2 code (and the 2.x/3.0 and ICD ones);
 * "an unknown OpenCL status" otherwise. Static string. */
const char *nw_cl_status_name (cl_int status);

/* TRUE when status is CL_SUCCESS; otherwise records the error described above (unless one
 * is already in *error) and returns FALSE. `expr` is the checked source text: the first
 * OpenCL call named in it (clXxx) is the call the message names. */
gboolean    nw_cl_check       (cl_int status, const char *expr, const char *site, GError **error);

#define NW_CL_CHECK(expr, error) nw_cl_check ((cl_int) (expr), #expr, G_STRLOC, (error))

G_END_DECLS
