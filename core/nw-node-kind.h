/* nw-node-kind.h: the registry of node kinds.
 *
 * Each kind is one file in core/layers/ that fills one NwNodeKindInfo: its name in files, its
 * label, how many inputs it takes, its settings (NwField: key, type, range, default, label,
 * tooltip), how wide its output is, how many parameters it has, how it describes itself, its
 * forward and backward passes (calls into the backend table) and the OpenCL kernels those
 * run. The JSON reader and writer, validation, the network's dispatch, the editor's settings
 * popover and `neurowire-cli info` all read this table instead of switching over kinds. */
#pragma once

#include "nw-spec.h"

G_BEGIN_DECLS

/* The widest a layer may be (Dense units). */
#define NW_MAX_UNITS 1048576

typedef enum {
  NW_FIELD_INT,      /* int */
  NW_FIELD_DOUBLE,   /* double, always finite */
  NW_FIELD_BOOL,     /* gboolean */
  NW_FIELD_ENUM,     /* an enum stored as int, named in files (see NwFieldEnum) */
} NwFieldType;

typedef enum {
  NW_FIELD_ENUM_NONE,
  NW_FIELD_ENUM_INIT,
  NW_FIELD_ENUM_ACTIVATION,
  NW_FIELD_ENUM_LOSS,
} NwFieldEnum;

typedef struct {
  const char  *key;          /* the JSON member, and the editor control's name */
  NwFieldType  type;
  gsize        offset;       /* of the value in NwNodeSpec */
  NwFieldEnum  enum_kind;    /* NW_FIELD_ENUM only */
  double       min, max;     /* allowed values (numbers) */
  gboolean     min_open, max_open;  /* min/max themselves not allowed */
  double       def;          /* a new node's value (bool: 0/1, enum: the value) */
  gboolean     required;     /* a file must give it */
  const char  *label;        /* English, N_()-marked: "Units" */
  const char  *tooltip;      /* N_()-marked, or NULL */
  double       ui_min, ui_max, ui_step;  /* the editor's spin button */
  int          ui_digits;
} NwField;

typedef struct _NwNet NwNet;

typedef struct {
  NwNodeKind     kind;
  const char    *name;       /* in files: "dense" */
  const char    *label;      /* English, N_()-marked: "Dense" */
  const char    *note;       /* N_()-marked text the editor shows under the settings, or NULL */
  int            n_inputs;   /* 0, 1, or -1: two or more */
  const NwField *fields;
  int            n_fields;
  /* The output width from the inputs' widths (in port order; validated to exist); NULL:
   * the first input's. FALSE with an error naming the node when they do not fit. */
  gboolean     (*infer_width)   (const NwNodeSpec *node, const int *in, const char *const *in_ids,
                                 int n_in, int input_width, int *width, GError **error);
  /* Parameters for a node of `width` outputs fed `in_width` (NULL: none) */
  gint64       (*count_params)  (const NwNodeSpec *node, int in_width, int width);
  /* A one-line summary of the settings, for `neurowire-cli info` */
  void         (*describe)      (const NwNodeSpec *node, GString *out);
  /* Node i of the net (execution order): its forward pass over `rows` rows, and its
   * backward pass (NULL for the input and the loss, whose gradient the forward writes). */
  void         (*forward)       (NwNet *net, int i, int rows, int mode, gboolean targets);
  void         (*backward)      (NwNet *net, int i, int rows);
  /* The OpenCL kernels its passes run, NULL-terminated ("bias_act_<act>" for each of them) */
  const char *const *cl_kernels;
} NwNodeKindInfo;

/* Borrowed, static; NULL for a value out of range. */
const NwNodeKindInfo *nw_node_kind_info   (NwNodeKind kind);
const NwField        *nw_node_kind_field  (NwNodeKind kind, const char *key);

/* A field's value as a double (bool 0/1, enum its value), and setting it. */
double      nw_field_get        (const NwField *field, const NwNodeSpec *node);
void        nw_field_set        (const NwField *field, NwNodeSpec *node, double value);
/* Whether `value` is allowed; `want` (may be NULL) says what is: "in [0, 1)". */
gboolean    nw_field_check      (const NwField *field, double value, const char **want);
/* An enum field's names and count. */
const char *nw_field_enum_name  (const NwField *field, int value);
int         nw_field_enum_value (const NwField *field, const char *name);
int         nw_field_enum_count (const NwField *field);
/* Sets `key` of `node` from text ("12", "0.5", "true", "relu"), checked against its range;
 * an error names the node and the field. Setting the activation resets alpha to the new
 * activation's default. */
gboolean    nw_node_spec_set_field (NwNodeSpec *node, const char *key, const char *text,
                                    GError **error);

/* The kinds' own definitions (core/layers/<kind>.c) */
extern const NwNodeKindInfo nw_layer_input;
extern const NwNodeKindInfo nw_layer_dense;
extern const NwNodeKindInfo nw_layer_activation;
extern const NwNodeKindInfo nw_layer_dropout;
extern const NwNodeKindInfo nw_layer_batchnorm;
extern const NwNodeKindInfo nw_layer_layernorm;
extern const NwNodeKindInfo nw_layer_add;
extern const NwNodeKindInfo nw_layer_concat;
extern const NwNodeKindInfo nw_layer_loss;

G_END_DECLS
