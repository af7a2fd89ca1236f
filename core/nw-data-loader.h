/* nw-data-loader.h: datasets loaded off the main thread, with progress on it.
 *
 * nw_data_load_async() loads (MNIST's IDX files, a CSV file) or generates what a data spec
 * describes on a worker thread (a GTask). Its progress reaches `progress` on the main context
 * of the caller, coalesced (the newest value once per main-loop iteration), and never after
 * `cancellable` was cancelled or the load's callback ran. A cancelled load fails with
 * G_IO_ERROR_CANCELLED. The load counts in `jobs` (may be NULL) until its worker and its last
 * progress hand-off have let go of it. Nothing here calls GTK: sessions pass the numbers on
 * and the window turns them into widgets. */
#pragma once

#include <gio/gio.h>

#include "nw-data.h"
#include "nw-jobs.h"

G_BEGIN_DECLS

/* fraction in [0, 1], or < 0 when the loader cannot tell (CSV): show activity instead. */
typedef void (*NwDataLoadProgress) (double fraction, gpointer user_data);

/* `data_root` (may be NULL) is the folder that holds mnist/ and fashion-mnist/ for a spec
 * without a path (nw_data_spec_dir). */
void        nw_data_load_async      (const NwDataSpec   *spec,
                                     const char         *data_root,
                                     NwJobs             *jobs,
                                     GCancellable       *cancellable,
                                     NwDataLoadProgress  progress,
                                     gpointer            progress_data,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
/* The dataset (transfer full), or NULL and the error (naming the file, and for missing MNIST
 * files how to get them). */
NwDataset  *nw_data_load_finish     (GAsyncResult       *result,
                                     GError            **error);

/* The command that fetches the MNIST files into `dir` (as README and tools/ give it):
 * "bash tools/fetch-mnist.sh", with the directory when it is not the script's own default
 * (nw_data_default_mnist_dir (NULL)). New. */
char       *nw_data_mnist_fetch_command (const char     *dir);
/* TRUE for the error of a load whose MNIST files are not there. */
gboolean    nw_data_error_is_missing_mnist (const NwDataSpec *spec,
                                            const GError     *error);

G_END_DECLS
