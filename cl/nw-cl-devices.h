/* nw-cl-devices.h: OpenCL behind core's backend-neutral device table (core/nw-device.h), for
 * the programs to hand to sessions and windows, which never see OpenCL themselves. */
#pragma once

#include "nw-cl-options.h"
#include "nw-device.h"

G_BEGIN_DECLS

/* Every OpenCL device, chosen as nw_trainer_new_on_backend chooses, with backends set up as
 * `options` say (copied; NULL: the defaults): a program passes what it read from the
 * environment, so that every window's and session's device honours it. Devices are named by
 * their place in nw_cl_list_devices' order ("0", "1", …). */
NwDevices *nw_cl_devices_new_full (const NwClOptions *options);
/* The same with the defaults (the best device, the kernel cache on, no tuning overrides). */
NwDevices *nw_cl_devices_new      (void);

G_END_DECLS
