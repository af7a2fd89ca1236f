/* cli-devices.c: `neurowire-cli devices`: every OpenCL device, its score, and why. */
#include "cli-common.h"
#include "nw-i18n.h"
#include "cli-json.h"
#include "nw-cl-device.h"

#include <stdio.h>

int
nw_cli_devices (const NwAppEnv *env, int argc, char **argv)
{
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object per device"), NULL },
    { NULL }
  };
  g_autoptr (GPtrArray) devices = NULL;
  g_auto (GStrv) skipped = NULL;
  GError *error = NULL;
  int status = NW_CLI_EXIT_OK;
  const char *chosen = env->cl.device;

  if (!nw_cli_parse_options ("devices",
                             _("Lists every OpenCL device, best first, with the score that ranks it (GPU\n"
                               "before CPU, then compute units x clock, then memory) and the platforms or\n"
                               "devices left out and why. The index or part of the name picks a device\n"
                               "with --device or NW_CL_DEVICE. No device at all is not an error: training\n"
                               "then runs on the CPU backend."),
                             entries, argc, argv, &status))
    return status;
  devices = nw_cl_list_devices_full (&skipped, &error);
  if (devices == NULL)
    return nw_cli_fail (error);

  for (guint i = 0; i < devices->len; i++)
    {
      const NwClDeviceInfo *d = g_ptr_array_index (devices, i);
      if (json)
        {
          NwJsonWriter *w = nw_cli_json_new ("device");
          nw_json_int (w, "index", d->index);
          nw_json_string (w, "name", d->name);
          nw_json_string (w, "platform", d->platform);
          nw_json_string (w, "type", d->type);
          nw_json_double (w, "score", d->score);
          nw_json_string (w, "why", d->why);
          nw_cli_json_print (w);
        }
      else
        /* Translators: "neurowire-cli devices": index, device, platform, then its score and
         * why it has that score */
        printf (i == 0 && chosen == NULL ? _("%d: %s (%s)\n   score %.4g: %s; the default choice\n")
                                         : _("%d: %s (%s)\n   score %.4g: %s\n"),
                d->index, d->name, d->platform, d->score, d->why);
    }
  if (!json)
    {
      if (devices->len == 0)
        printf (_("no OpenCL device: training runs on the CPU backend\n"));
      for (int i = 0; skipped != NULL && skipped[i] != NULL; i++)
        printf (_("left out: %s\n"), skipped[i]);
      if (chosen != NULL && *chosen != '\0')
        printf (_("NW_CL_DEVICE=%s picks the device\n"), chosen);
    }
  return NW_CLI_EXIT_OK;
}
