/* nw-data-loader.h: datasets loaded off the main thread, with progress on it.
 *
 * nw_data_load_async() loads (MNIST's IDX files, a CSV file) or generates what a data spec
 * describes on a worker thread (a GTask). Its progress reaches `progress` on the main context
 * of the caller, coalesced (the newest value once per main-loop iteration), and never after
 * `cancellable` was cancelled or the load's callback ran. A cancelled load fails with
 * G_IO_ERROR_CANCELLED. Nothing here calls GTK: the window, and later the digit pad's views,
 * turn the numbers into widgets. */
#pragma once

#include <gio/gio.h>

#include "nw-data.h"

G_BEGIN_DECLS

/* fraction in [0, 1], or < 0 when the loader cannot tell (CSV): show activity instead. */
typedef void (*NwDataLoadProgress) (double fraction, gpointer user_data);

void        nw_data_load_async      (const NwDataSpec   *spec,
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
 * "bash tools/fetch-mnist.sh", with the directory when it is not the default one. New. */
char       *nw_data_mnist_fetch_command (const char     *dir);
/* TRUE for the error of a load whose MNIST files are not there. */
gboolean    nw_data_error_is_missing_mnist (const NwDataSpec *spec,
                                            const GError     *error);

/* Loads started whose worker has not yet let go of its job (tests and a closing program wait
 * for 0). */
guint       nw_data_load_n_running  (void);

G_END_DECLS
