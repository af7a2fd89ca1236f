/* nw-backend-choice.h: which backend trains a network, and why.
 *
 * "cpu" and "cl" force a backend. "auto" (or NULL) takes a GPU OpenCL device when there is
 * one; when the only OpenCL device is a CPU device (PoCL), it runs a short measured
 * calibration of this network on both and takes the faster, remembering the answer per
 * device and network shape in the user's cache; with no usable OpenCL device it takes the
 * CPU backend. `why` always receives one sentence for the user. */
#pragma once

#include "nw-cl-options.h"
#include "nw-device.h"

G_BEGIN_DECLS

/* A trainer for `spec` on the chosen backend (the data from spec->data, loaded once: an
 * MNIST spec without a path reads the default folder of nw_data_default_mnist_dir (NULL), so
 * a program with a data folder of its own fills the path in first: nw_data_spec_resolve).
 * `device` (NULL: options->device, else the best) names the OpenCL device; `options` (may be
 * NULL) set up the OpenCL backend. */
NwTrainer *nw_trainer_new_on_backend (const NwSpec *spec, NwBackendKind kind, const char *device,
                                      const NwClOptions *options, char **why, GError **error);

G_END_DECLS
