/* nw-data.h: datasets in memory: 2D generators, the user's CSV points, IDX (MNIST) files.
 *
 * A dataset is a train and a test split, each a row-major float matrix of features and a
 * row-major float matrix of targets. Classification sets keep their labels too, and their
 * targets are what the loss wants: one column of 0/1 for two classes, one-hot rows for more. */
#pragma once

#include "nw-types.h"
#include "nw-spec.h"

G_BEGIN_DECLS

typedef struct {
  int      n;          /* rows */
  int      d;          /* features per row */
  int      k;          /* target columns per row */
  float   *x;          /* n * d, owned */
  float   *y;          /* n * k, owned */
  guint8  *labels;     /* n class labels, owned; NULL for regression targets */
} NwSplit;

typedef struct {
  char    *name;       /* "xor", "mnist", or the CSV's file name */
  int      n_classes;  /* 2 for the 2D sets, 10 for MNIST */
  NwSplit  train;
  NwSplit  test;
} NwDataset;

void        nw_dataset_free           (NwDataset *ds);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NwDataset, nw_dataset_free)
/* A deep copy (a trainer takes its dataset; a program that builds several keeps one). */
NwDataset  *nw_dataset_copy           (const NwDataset *ds);

/* Loads or generates what `spec` describes. For MNIST and Fashion-MNIST, spec->path NULL
 * means the default folder under `data_root` (nw_data_spec_dir). `data_root` is the
 * program's data folder (NEUROWIRE_DATA_DIR, read by app/), NULL for the default: core
 * reads no environment variable of its own. */
NwDataset  *nw_dataset_new            (const NwDataSpec *spec, const char *data_root,
                                       GError **error);

/* 2D generators. Points lie in [-1, 1]^2 before noise (the boundary view's window is
 * [-1.5, 1.5]^2); labels are 0/1 and targets one column. The truth tables ignore
 * n/noise/test_ratio/seed and yield their four points in both splits: XOR at (+-1, +-1)
 * (in the order (-1,-1), (-1,1), (1,-1), (1,1); targets 0 1 1 0); XOR01, AND and OR, the
 * course notes' tables, at (0,0), (0,1), (1,0), (1,1) with targets 0 1 1 0, 0 0 0 1 and
 * 0 1 1 1. Deterministic per seed. */
NwDataset  *nw_dataset_new_2d         (NwDataKind kind, int n, double noise,
                                       double test_ratio, guint64 seed, GError **error);

/* CSV with rows "x,y,label" (label 0 or 1); a header line is allowed; '#' starts a comment.
 * Errors name the file and line. The split is drawn with `seed`. */
NwDataset  *nw_dataset_load_csv       (const char *path, double test_ratio, guint64 seed,
                                       GError **error);
gboolean    nw_dataset_save_csv       (const NwDataset *ds, const char *path, GError **error);

/* IDX: reads train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
 * t10k-labels-idx1-ubyte from `dir` (each may instead be gzipped, NAME.gz), pixels scaled to
 * [0,1], 10 one-hot target columns. `train_limit` > 0 keeps only that many training rows.
 * Every header field is checked against the file's size before anything large is allocated.
 * `dir` NULL: nw_data_default_mnist_dir (NULL). The dataset is named "mnist". */
NwDataset  *nw_dataset_load_idx_dir   (const char *dir, int train_limit, GError **error);
/* The same for Fashion-MNIST (same files and format, named "fashion_mnist"); `dir` NULL:
 * nw_data_default_fashion_mnist_dir (NULL). */
NwDataset  *nw_dataset_load_fashion_mnist (const char *dir, int train_limit, GError **error);

/* Progress of a long load, on the loading thread: `fraction` of the work done so far, in
 * [0, 1]. Returning FALSE stops the load, which then fails with NW_ERROR_CANCELLED. */
typedef gboolean (*NwProgressFunc) (double fraction, gpointer user_data);

/* nw_dataset_load_idx_dir and nw_dataset_load_fashion_mnist, reporting progress as they go
 * (by image bytes converted; the training images count for 6/7 of the whole). */
NwDataset  *nw_dataset_load_idx_dir_full (const char *dir, int train_limit,
                                          NwProgressFunc progress, gpointer user_data,
                                          GError **error);
NwDataset  *nw_dataset_load_fashion_mnist_full (const char *dir, int train_limit,
                                                NwProgressFunc progress, gpointer user_data,
                                                GError **error);

/* One IDX file each, plain or gzip-compressed (told by its first bytes; a missing PATH whose
 * PATH.gz exists reads that). images: magic 0x00000803, n, rows, cols; labels: 0x00000801, n. */
gboolean    nw_idx_load_images        (const char *path, int *n, int *rows, int *cols,
                                       float **pixels, GError **error);
gboolean    nw_idx_load_labels        (const char *path, int *n, guint8 **labels,
                                       GError **error);

/* `data_root`/mnist, or with `data_root` NULL or empty $XDG_DATA_HOME/neurowire/mnist.
 * Newly allocated. */
char       *nw_data_default_mnist_dir (const char *data_root);
/* Where Debian's dataset-fashion-mnist puts its (gzipped) IDX files. */
#define NW_FASHION_MNIST_SYSTEM_DIR "/usr/share/datasets/fashion-mnist"
/* The first of `data_root`/fashion-mnist (when `data_root` is given) and
 * $XDG_DATA_HOME/neurowire/fashion-mnist that exists, else NW_FASHION_MNIST_SYSTEM_DIR.
 * Newly allocated. */
char       *nw_data_default_fashion_mnist_dir (const char *data_root);
/* The folder an MNIST or Fashion-MNIST spec reads: its path, else the default folder under
 * `data_root` (may be NULL). NULL for other kinds. Newly allocated. */
char       *nw_data_spec_dir          (const NwDataSpec *spec, const char *data_root);
/* Fills in the folder of an MNIST or Fashion-MNIST spec without a path (nw_data_spec_dir), so
 * that code which is not told the data root (a trainer made from the spec alone, a device
 * calibration) reads the same folder. Other kinds are left as they are. */
void        nw_data_spec_resolve      (NwDataSpec *spec, const char *data_root);

/* The ten class names of an IDX data kind, for labels in the UI: "0".."9" for MNIST,
 * "T-shirt/top".."Ankle boot" for Fashion-MNIST; NULL for other kinds. Static strings. */
const char *const *nw_data_class_names (NwDataKind kind);

/* The 2D kinds (XOR … checkerboard, XOR01, AND, OR): points a person can see and edit. */
gboolean    nw_data_kind_is_2d        (NwDataKind kind);
/* The four-point truth tables (XOR, XOR01, AND, OR): fixed points, nothing to generate. */
gboolean    nw_data_kind_is_truth_table (NwDataKind kind);
/* MNIST and Fashion-MNIST: 28x28 grey images, 10 classes, loaded from files. */
gboolean    nw_data_kind_is_image     (NwDataKind kind);

/* The data kind's file/CLI name ("xor", "xor_cloud", "circle", ...); -1 if unknown. */
const char *nw_data_kind_name         (NwDataKind kind);
int         nw_data_kind_from_name    (const char *name);

G_END_DECLS
