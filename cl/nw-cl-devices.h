/* nw-cl-devices.h: OpenCL behind core's backend-neutral device table (core/nw-device.h), for
 * the programs to hand to sessions and windows, which never see OpenCL themselves. */
#pragma once

#include "nw-device.h"

G_BEGIN_DECLS

/* Every OpenCL device, chosen as nw_trainer_new_on_backend chooses. Devices are named by
 * their place in nw_cl_list_devices' order ("0", "1", …). */
NwDevices *nw_cl_devices_new (void);

G_END_DECLS
