/* nw-spec.h: a network and its training settings as plain data.
 *
 * NwSpec is what the editor edits and what files store (JSON, see docs/spec-format.md). It
 * holds no tensors: building a network (nw_net_new) turns it into one. Validation names the
 * node ("node 'dense2': ...") or edge ("edge 'a' -> 'b': ...") at fault so the editor can mark
 * it in place. */
#pragma once

#include "nw-types.h"

G_BEGIN_DECLS

typedef struct {
  char        *id;          /* unique within the spec; [A-Za-z0-9_.-]+ */
  NwNodeKind   kind;
  /* Dense */
  int          units;       /* output width; Input: ignored (the data decides) */
  gboolean     bias;        /* default TRUE */
  NwInit       weight_init;
  double       weight_init_param; /* constant's value, normal's std, uniform's bound */
  NwInit       bias_init;
  double       bias_init_param;
  /* Activation */
  NwActivation activation;
  double       alpha;       /* leaky ReLU slope (default 0.01) or ELU alpha (default 1) */
  /* Dropout */
  double       p;           /* drop probability in [0, 1) */
  /* Dropout and BatchNorm: a disabled node passes its input through unchanged */
  gboolean     enabled;
  /* BatchNorm, LayerNorm */
  double       momentum;    /* BatchNorm running-average momentum (PyTorch's: 0.1) */
  double       eps;         /* 1e-5 */
  gboolean     affine;      /* learnable scale and shift, default TRUE */
  /* Loss */
  NwLoss       loss;
  /* editor only: where the block sits on the canvas */
  double       x, y;
} NwNodeSpec;

typedef struct {
  char *from;               /* id of the producing node */
  char *to;                 /* id of the consuming node */
  int   port;               /* input port of `to` (order matters for Concat); 0-based */
} NwEdgeSpec;

typedef enum {
  NW_DATA_XOR,              /* the four-point truth table */
  NW_DATA_XOR_CLOUD,        /* noisy points in the four quadrants */
  NW_DATA_CIRCLE,
  NW_DATA_GAUSSIANS,
  NW_DATA_SPIRAL,
  NW_DATA_MOONS,
  NW_DATA_CHECKERBOARD,
  NW_DATA_CSV,              /* the user's own points: x,y,label rows */
  NW_DATA_MNIST,            /* IDX files in `path` (MNIST, or any set in its format) */
  NW_DATA_FASHION_MNIST,    /* Fashion-MNIST's IDX files in `path` (NULL: the default place) */
  NW_N_DATA_KINDS
} NwDataKind;

typedef struct {
  NwDataKind kind;
  int        n;             /* points to generate (2D generators) */
  double     noise;         /* generator noise, in the generator's units */
  double     test_ratio;    /* share held out as the test split, [0, 1) */
  guint64    seed;          /* data seed (separate from the training seed) */
  char      *path;          /* CSV file or IDX directory; NULL: the default MNIST dir */
  int        train_limit;   /* use only the first N training examples (0: all) */
} NwDataSpec;

typedef struct {
  NwOptimizerKind optimizer;
  double   lr;
  double   momentum;        /* momentum, nesterov, rmsprop (0 = none) */
  double   beta1, beta2;    /* adam, adamw */
  double   eps;             /* adagrad, rmsprop, adam(w) */
  double   rho;             /* rmsprop's smoothing constant (PyTorch calls it alpha: 0.99) */
  double   weight_decay;    /* adamw's decoupled decay */
  double   l1, l2;          /* penalties added to the loss: l1*|w| + l2/2*w^2 (weights only) */
  int      batch_size;      /* 0: full batch */
  gint64   steps;           /* stop after this many steps (0: use epochs) */
  gint64   epochs;
  guint64  seed;            /* initialisation, shuffling and dropout */
  int      log_every;       /* steps between progress lines / snapshots */
} NwTrainSpec;

typedef struct {
  char       *name;
  char       *description;
  GPtrArray  *nodes;        /* of NwNodeSpec*, owned */
  GPtrArray  *edges;        /* of NwEdgeSpec*, owned */
  NwDataSpec  data;
  NwTrainSpec train;
} NwSpec;

NwSpec     *nw_spec_new            (void);
void        nw_spec_free           (NwSpec *spec);
NwSpec     *nw_spec_copy           (const NwSpec *spec);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (NwSpec, nw_spec_free)

/* A node with every setting at its default; the spec takes ownership when added. */
NwNodeSpec *nw_node_spec_new       (NwNodeKind kind, const char *id);
NwNodeSpec *nw_spec_add_node       (NwSpec *spec, NwNodeKind kind, const char *id);
void        nw_spec_add_edge       (NwSpec *spec, const char *from, const char *to, int port);
/* An id is [A-Za-z0-9_.-]+. */
gboolean    nw_spec_id_is_valid    (const char *id);
/* A setting typed as text ("0.5"): a finite number, the whole text, no leading space, in the
 * C locale. FALSE (out untouched) otherwise. */
gboolean    nw_spec_parse_double   (const char *text, double *out);
/* Borrowed; NULL if absent. */
NwNodeSpec *nw_spec_find_node      (const NwSpec *spec, const char *id);
gboolean    nw_spec_remove_node    (NwSpec *spec, const char *id); /* and its edges */

/* JSON. Loading validates the document's form and every setting's range (not the graph:
 * that is nw_spec_validate's job) and names the field at fault. */
NwSpec     *nw_spec_load           (const char *path, GError **error);
NwSpec     *nw_spec_from_json      (const char *json, gssize length, GError **error);
char       *nw_spec_to_json        (const NwSpec *spec);
gboolean    nw_spec_save           (const NwSpec *spec, const char *path, GError **error);
/* The spec as one JSON object value named `key` (NULL: an array element or the top level)
 * inside a document being written: what nw_spec_to_json writes, for files that embed specs
 * (lessons). */
typedef struct _NwJsonWriter NwJsonWriter;
void        nw_spec_write_json     (const NwSpec *spec, NwJsonWriter *w, const char *key);

/* Graph validation: unknown nodes, cycles, dangling or doubly-fed ports, arity, a node that
 * does not reach the loss, exactly one input and one loss, and shapes given the data's
 * `input_width` features and `target_width` targets (`n_classes` > 0 for class labels).
 * On success fills `order` (node indices in topological order, may be NULL) and `widths`
 * (each node's output width, indexed like spec->nodes, may be NULL). */
/* The error of one node or one edge, as nw_spec_validate and the node kinds' width checks
 * give it: "node 'ID': what" and "edge 'A' -> 'B': what", composed through one translatable
 * format each (so the editor finds the node or edge in the message in any language:
 * nw_spec_error_location). Return FALSE, for `return nw_spec_set_node_error (...)`. */
gboolean    nw_spec_set_node_error (GError    **error,
                                    int         code,
                                    const char *id,
                                    const char *format,
                                    ...) G_GNUC_PRINTF (4, 5);
gboolean    nw_spec_set_edge_error (GError    **error,
                                    int         code,
                                    const char *from,
                                    const char *to,
                                    const char *format,
                                    ...) G_GNUC_PRINTF (5, 6);
/* The node (`*node`), or the edge (`*from`, `*to`), that such a message names, and for a
 * cycle ("node 'a' is on a cycle: a -> b -> a") its path (`*cycle`, NULL-terminated ids);
 * each out value newly allocated or NULL. FALSE when the message names neither. */
gboolean    nw_spec_error_location (const char  *message,
                                    char       **node,
                                    char       **from,
                                    char       **to,
                                    char      ***cycle);

gboolean    nw_spec_validate       (const NwSpec *spec,
                                    int           input_width,
                                    int           target_width,
                                    int           n_classes,
                                    GArray       *order,
                                    GArray       *widths,
                                    GError      **error);

/* A plain chain Input -> ... -> Loss built from a short description such as
 * "2 dense:10 sigmoid dense:1 sigmoid bce"; used by tests and examples. */
NwSpec     *nw_spec_new_chain      (const char *description, GError **error);

G_END_DECLS
