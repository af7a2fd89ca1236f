/* test-registry.c: every registered node kind and every activation through the JSON format
 * and back (spec -> JSON -> spec, equal field by field), and the registry's own promises:
 * each kind names itself, its fields' defaults are in their ranges, and the activation
 * table matches its enum. The gradient checks of each kind and activation are in
 * test-gradcheck.c. */
#include "nw-test.h"
#include "nw-activation.h"
#include "nw-node-kind.h"

#include <math.h>
#include <string.h>

/* Every field of every node, and the edges, equal. */
static void
assert_same_spec (const NwSpec *a, const NwSpec *b)
{
  CU_ASSERT_EQUAL_FATAL (a->nodes->len, b->nodes->len);
  CU_ASSERT_EQUAL_FATAL (a->edges->len, b->edges->len);
  for (guint i = 0; i < a->nodes->len; i++)
    {
      const NwNodeSpec *x = g_ptr_array_index (a->nodes, i), *y = g_ptr_array_index (b->nodes, i);
      const NwNodeKindInfo *info = nw_node_kind_info (x->kind);
      CU_ASSERT_STRING_EQUAL (x->id, y->id);
      CU_ASSERT_EQUAL (x->kind, y->kind);
      CU_ASSERT_EQUAL (x->x, y->x);
      CU_ASSERT_EQUAL (x->y, y->y);
      for (int f = 0; f < info->n_fields; f++)
        {
          double u = nw_field_get (&info->fields[f], x), v = nw_field_get (&info->fields[f], y);
          if (u != v)
            g_printerr ("node '%s' field '%s': %g became %g\n", x->id, info->fields[f].key, u, v);
          CU_ASSERT_EQUAL (u, v);
        }
    }
  for (guint e = 0; e < a->edges->len; e++)
    {
      const NwEdgeSpec *x = g_ptr_array_index (a->edges, e), *y = g_ptr_array_index (b->edges, e);
      CU_ASSERT_STRING_EQUAL (x->from, y->from);
      CU_ASSERT_STRING_EQUAL (x->to, y->to);
      CU_ASSERT_EQUAL (x->port, y->port);
    }
}

static NwSpec *
round_trip (const NwSpec *spec)
{
  GError *error = NULL;
  g_autofree char *json = nw_spec_to_json (spec);
  NwSpec *back = nw_spec_from_json (json, -1, &error);
  NW_ASSERT_NO_ERROR (error);
  return back;
}

/* A value of each field other than its default, inside its range. */
static double
other_value (const NwField *field, double def)
{
  switch (field->type)
    {
    case NW_FIELD_BOOL:
      return def != 0 ? 0 : 1;
    case NW_FIELD_ENUM:
      return ((int) def + 1) % nw_field_enum_count (field);
    case NW_FIELD_INT:
      return def + 7 <= field->max ? MAX (def + 7, field->min) : field->min;
    case NW_FIELD_DOUBLE:
    default:
      if (field->max <= 1)
        return field->min + (field->max - field->min) * 0.37;
      return field->min > 0 || field->min_open ? 0.00123 : -0.3125 + def;
    }
}

/* Every kind, with every field at its default and then at another value. */
static void
test_kinds_round_trip (void)
{
  for (int k = 0; k < NW_N_NODE_KINDS; k++)
    for (int changed = 0; changed <= 1; changed++)
      {
        g_autoptr (NwSpec) spec = nw_spec_new ();
        g_autoptr (NwSpec) back = NULL;
        const NwNodeKindInfo *info = nw_node_kind_info ((NwNodeKind) k);
        NwNodeSpec *node;
        CU_ASSERT_PTR_NOT_NULL_FATAL (info);
        CU_ASSERT_EQUAL (info->kind, k);
        CU_ASSERT_EQUAL (nw_node_kind_from_name (info->name), k);
        node = nw_spec_add_node (spec, (NwNodeKind) k, "n");
        node->x = 12.5;
        node->y = -3;
        if (k == NW_NODE_DENSE)
          node->units = 3;
        for (int f = 0; changed && f < info->n_fields; f++)
          {
            const NwField *field = &info->fields[f];
            double v = other_value (field, nw_field_get (field, node));
            CU_ASSERT (nw_field_check (field, v, NULL));
            nw_field_set (field, node, v);
          }
        back = round_trip (spec);
        assert_same_spec (spec, back);
      }
}

/* Every field's default is in its range, and new nodes start at the defaults. */
static void
test_field_defaults (void)
{
  for (int k = 0; k < NW_N_NODE_KINDS; k++)
    {
      const NwNodeKindInfo *info = nw_node_kind_info ((NwNodeKind) k);
      g_autoptr (NwSpec) spec = nw_spec_new ();
      NwNodeSpec *node = nw_spec_add_node (spec, (NwNodeKind) k, NULL);
      for (int f = 0; f < info->n_fields; f++)
        {
          const NwField *field = &info->fields[f];
          CU_ASSERT_PTR_NOT_NULL (field->label);
          if (!field->required)
            {
              CU_ASSERT (nw_field_check (field, field->def, NULL));
              CU_ASSERT_EQUAL (nw_field_get (field, node), field->def);
            }
        }
      CU_ASSERT_PTR_NOT_NULL (info->describe);
      CU_ASSERT ((info->forward != NULL) == (k != NW_NODE_INPUT));
    }
}

/* Every activation, in a node of its own, with its default alpha and another. */
static void
test_activations_round_trip (void)
{
  for (int a = 0; a < NW_N_ACTIVATIONS; a++)
    {
      const NwActivationInfo *info = nw_activation_info ((NwActivation) a);
      g_autoptr (NwSpec) spec = nw_spec_new ();
      g_autoptr (NwSpec) back = NULL;
      GError *error = NULL;
      NwNodeSpec *plain, *tuned;
      CU_ASSERT_PTR_NOT_NULL_FATAL (info);
      CU_ASSERT_EQUAL (info->id, a);
      CU_ASSERT_EQUAL (nw_activation_from_name (info->name), a);
      plain = nw_spec_add_node (spec, NW_NODE_ACTIVATION, "plain");
      CU_ASSERT (nw_node_spec_set_field (plain, "activation", info->name, &error));
      NW_ASSERT_NO_ERROR (error);
      CU_ASSERT_EQUAL (plain->activation, a);
      CU_ASSERT_EQUAL (plain->alpha, info->default_alpha);
      tuned = nw_spec_add_node (spec, NW_NODE_ACTIVATION, "tuned");
      tuned->activation = (NwActivation) a;
      tuned->alpha = 0.3;
      back = round_trip (spec);
      assert_same_spec (spec, back);
    }
}

/* The file names the new activations as docs/spec-format.md says. */
static void
test_new_activations_in_files (void)
{
  GError *error = NULL;
  g_autoptr (NwSpec) spec = nw_spec_from_json (
    "{\"format\": \"neurowire-spec\", \"version\": 1, \"nodes\": ["
    "{\"id\": \"input\", \"type\": \"input\"},"
    "{\"id\": \"fc1\", \"type\": \"dense\", \"units\": 4},"
    "{\"id\": \"a1\", \"type\": \"activation\", \"activation\": \"selu\"},"
    "{\"id\": \"fc2\", \"type\": \"dense\", \"units\": 4},"
    "{\"id\": \"a2\", \"type\": \"activation\", \"activation\": \"step\"},"
    "{\"id\": \"fc3\", \"type\": \"dense\", \"units\": 1},"
    "{\"id\": \"loss\", \"type\": \"loss\", \"loss\": \"bce_logits\"}]}", -1, &error);
  NW_ASSERT_NO_ERROR (error);
  CU_ASSERT_EQUAL (nw_spec_find_node (spec, "a1")->activation, NW_ACT_SELU);
  CU_ASSERT_EQUAL (nw_spec_find_node (spec, "a2")->activation, NW_ACT_STEP);
  CU_ASSERT (nw_spec_validate (spec, 2, 1, 2, NULL, NULL, &error));
  NW_ASSERT_NO_ERROR (error);
  /* A setting out of its kind's range is refused, naming the node and the field. */
  CU_ASSERT_FALSE (nw_node_spec_set_field (nw_spec_find_node (spec, "fc1"), "units", "0", &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_RANGE, "node 'fc1'", "'units'");
  CU_ASSERT_FALSE (nw_node_spec_set_field (nw_spec_find_node (spec, "a1"), "units", "3", &error));
  NW_ASSERT_ERROR (error, NW_ERROR, NW_ERROR_SPEC, "node 'a1'", "'units'");
}

static const NwTestCase cases[] = {
  { "kinds_round_trip", test_kinds_round_trip },
  { "field_defaults", test_field_defaults },
  { "activations_round_trip", test_activations_round_trip },
  { "selu_and_step_in_files", test_new_activations_in_files },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "registry", cases },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  return nw_test_main (argc, argv, suites);
}
