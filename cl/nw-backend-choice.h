/* nw-backend-choice.h: which backend trains a network, and why.
 *
 * "cpu" and "cl" force a backend. "auto" (or NULL) takes a GPU OpenCL device when there is
 * one; when the only OpenCL device is a CPU device (PoCL), it runs a short measured
 * calibration of this network on both and takes the faster, remembering the answer per
 * device and network shape in the user's cache; with no usable OpenCL device it takes the
 * CPU backend. `why` always receives one sentence for the user. */
#pragma once

#include "nw-device.h"

G_BEGIN_DECLS

/* A trainer for `spec` on the chosen backend (the data from spec->data, loaded once). */
NwTrainer *nw_trainer_new_on_backend (const NwSpec *spec, NwBackendKind kind, const char *device,
                                      char **why, GError **error);

G_END_DECLS
