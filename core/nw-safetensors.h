/* nw-safetensors.h: read and write safetensors files (https://github.com/huggingface/safetensors).
 *
 * Layout: 8-byte little-endian header length N, N bytes of JSON
 * {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}},
 * then the raw little-endian data. Neurowire writes F32 (and I64 for BatchNorm's
 * num_batches_tracked, as PyTorch stores it) and reads F32, F64 (converted) and I64. */
#pragma once

#include "nw-types.h"

G_BEGIN_DECLS

typedef enum {
  NW_DTYPE_F32,
  NW_DTYPE_F64,
  NW_DTYPE_I64,
} NwDtype;

typedef struct {
  char    *name;
  NwDtype  dtype;      /* as stored in the file */
  int      rank;
  gint64   shape[4];
  gsize    numel;
  float   *f32;        /* the values as float (I64 and F64 converted), owned */
} NwTensor;

typedef struct {
  GPtrArray  *tensors;   /* of NwTensor*, in file order (written in this order), owned */
  GHashTable *metadata;  /* char* -> char*, owned; may be empty */
} NwTensorFile;

NwTensorFile *nw_tensor_file_new     (void);
void          nw_tensor_file_free    (NwTensorFile *tf);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NwTensorFile, nw_tensor_file_free)

/* Adds a tensor with a copy of `data` (numel = product of shape). Returns it (borrowed). */
NwTensor     *nw_tensor_file_add     (NwTensorFile *tf, const char *name, NwDtype dtype,
                                      int rank, const gint64 *shape, const float *data);
/* Borrowed; NULL if absent. */
NwTensor     *nw_tensor_file_get     (const NwTensorFile *tf, const char *name);

/* Reads and checks a whole file: header length within the file, JSON form, known dtypes,
 * shapes whose product matches the byte range, ranges inside the data and not overlapping,
 * every F32/F64 value finite. Errors name the file and the tensor or field at fault. */
NwTensorFile *nw_safetensors_load    (const char *path, GError **error);
NwTensorFile *nw_safetensors_parse   (const guint8 *bytes, gsize length, const char *name_for_errors,
                                      GError **error);
/* Atomic: written to a temporary file beside `path`, then renamed over it. */
gboolean      nw_safetensors_save    (const NwTensorFile *tf, const char *path, GError **error);

G_END_DECLS
