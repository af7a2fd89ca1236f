/* test-json-writer.c: core's JSON writer (core/nw-json-writer.h): escaping, non-finite
 * numbers, nesting, both styles and both number formats, and that json-glib reads back what
 * it writes. */
#include "nw-test.h"
#include "nw-json-writer.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

static char *
finish (NwJsonWriter *w)
{
  return nw_json_writer_finish (w);
}

/* json-glib parses `text`; the root node (new), or NULL after a failed assertion. */
static JsonNode *
parse (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  GError *error = NULL;
  json_parser_load_from_data (parser, text, -1, &error);
  NW_ASSERT_NO_ERROR (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_escaping (void)
{
  g_autoptr (GString) controls = g_string_new (NULL);
  g_autoptr (GString) expected = g_string_new ("[\"");
  NwJsonWriter *w = nw_json_writer_new (NW_JSON_COMPACT, NW_JSON_DOUBLE_FLOAT);
  g_autofree char *text = NULL;
  g_autoptr (JsonNode) root = NULL;

  for (int c = 1; c < 0x20; c++)
    {
      g_string_append_c (controls, (char) c);
      switch (c)
        {
        case '\b': g_string_append (expected, "\\b"); break;
        case '\t': g_string_append (expected, "\\t"); break;
        case '\n': g_string_append (expected, "\\n"); break;
        case '\f': g_string_append (expected, "\\f"); break;
        case '\r': g_string_append (expected, "\\r"); break;
        default:   g_string_append_printf (expected, "\\u%04x", c);
        }
    }
  g_string_append (expected, "\",\"q\\\"b\\\\s/ \\u007f é ☃\",\"a\xef\xbf\xbd" "b\",null]");

  nw_json_begin_array (w, NULL);
  nw_json_string (w, NULL, controls->str);
  nw_json_string (w, NULL, "q\"b\\s/ \x7f é ☃");
  nw_json_string (w, NULL, "a\xff" "b");   /* not UTF-8: U+FFFD, so the text stays JSON */
  nw_json_string (w, NULL, NULL);
  nw_json_end_array (w);
  text = finish (w);
  CU_ASSERT_STRING_EQUAL (text, expected->str);

  /* And they read back as written. */
  root = parse (text);
  CU_ASSERT_PTR_NOT_NULL_FATAL (root);
  {
    JsonArray *a = json_node_get_array (root);
    CU_ASSERT_STRING_EQUAL (json_array_get_string_element (a, 0), controls->str);
    CU_ASSERT_STRING_EQUAL (json_array_get_string_element (a, 1), "q\"b\\s/ \x7f é ☃");
    CU_ASSERT (json_array_get_null_element (a, 3));
  }
}

/* Keys are escaped like strings. */
static void
test_keys (void)
{
  NwJsonWriter *w = nw_json_writer_new (NW_JSON_COMPACT, NW_JSON_DOUBLE_FLOAT);
  g_autofree char *text = NULL;
  nw_json_begin_object (w, NULL);
  nw_json_int (w, "a\"b\n", 1);
  nw_json_end_object (w);
  text = finish (w);
  CU_ASSERT_STRING_EQUAL (text, "{\"a\\\"b\\n\":1}");
}

static void
test_non_finite (void)
{
  for (int mode = 0; mode < 2; mode++)
    {
      NwJsonWriter *w = nw_json_writer_new (NW_JSON_COMPACT, mode == 0 ? NW_JSON_DOUBLE_FLOAT
                                                                       : NW_JSON_DOUBLE_SHORTEST);
      const float floats[3] = { 1.5f, NAN, -INFINITY };
      g_autofree char *text = NULL;
      nw_json_begin_object (w, NULL);
      nw_json_double (w, "nan", NAN);
      nw_json_double (w, "inf", INFINITY);
      nw_json_double (w, "minus_inf", -INFINITY);
      nw_json_floats (w, "floats", floats, 3);
      nw_json_end_object (w);
      text = finish (w);
      CU_ASSERT_STRING_EQUAL (text, "{\"nan\":null,\"inf\":null,\"minus_inf\":null,"
                                    "\"floats\":[1.5,null,null]}");
    }
}

static void
test_numbers (void)
{
  NwJsonWriter *w = nw_json_writer_new (NW_JSON_COMPACT, NW_JSON_DOUBLE_SHORTEST);
  g_autofree char *files = NULL, *cli = NULL;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* Files: the shortest digits that read back exactly; integral values keep a fraction. */
  nw_json_begin_array (w, NULL);
  nw_json_double (w, NULL, 0.1);
  nw_json_double (w, NULL, 0.1 + 0.2);
  nw_json_double (w, NULL, 1e-7);
  nw_json_double (w, NULL, 3.0);
  nw_json_double (w, NULL, -0.5);
  nw_json_double (w, NULL, (float) 0.1f);
  nw_json_int (w, NULL, G_MININT64);
  nw_json_uint (w, NULL, G_MAXUINT64);
  nw_json_bool (w, NULL, TRUE);
  nw_json_bool (w, NULL, FALSE);
  nw_json_null (w, NULL);
  nw_json_end_array (w);
  files = finish (w);
  CU_ASSERT_STRING_EQUAL (files, "[0.1,0.30000000000000004,1e-07,3.0,-0.5,0.10000000149011612,"
                                 "-9223372036854775808,18446744073709551615,true,false,null]");

  /* The command line: a float's 9 digits. */
  w = nw_json_writer_new (NW_JSON_COMPACT, NW_JSON_DOUBLE_FLOAT);
  nw_json_begin_array (w, NULL);
  nw_json_double (w, NULL, (float) 0.1f);
  nw_json_double (w, NULL, 3.0);
  nw_json_double (w, NULL, 1.0 / 3.0);
  nw_json_end_array (w);
  cli = finish (w);
  CU_ASSERT_STRING_EQUAL (cli, "[0.100000001,3,0.333333333]");

  /* Every float survives the trip through %.9g. */
  for (int i = 0; i < 1000; i++)
    {
      float f = (float) (i * 0.7071 - 300) * (i % 2 ? 1e-20f : 1e20f) / 7.0f;
      g_ascii_formatd (buf, sizeof buf, "%.9g", f);
      CU_ASSERT_EQUAL ((float) g_ascii_strtod (buf, NULL), f);
    }
  /* The helper for messages. */
  nw_json_format_double (buf, 2.0);
  CU_ASSERT_STRING_EQUAL (buf, "2.0");
  nw_json_format_double (buf, NAN);
  CU_ASSERT_STRING_EQUAL (buf, "nan");
}

/* The same document in both styles: nesting, empty containers, keys and elements. */
static void
write_document (NwJsonWriter *w)
{
  nw_json_begin_object (w, NULL);
  nw_json_string (w, "name", "net");
  nw_json_begin_array (w, "nodes");
  nw_json_begin_object (w, NULL);
  nw_json_string (w, "id", "fc");
  nw_json_begin_array (w, "shape");
  nw_json_int (w, NULL, 2);
  nw_json_int (w, NULL, 3);
  nw_json_end_array (w);
  nw_json_end_object (w);
  nw_json_begin_object (w, NULL);
  nw_json_end_object (w);
  nw_json_end_array (w);
  nw_json_begin_array (w, "edges");
  nw_json_end_array (w);
  nw_json_double (w, "lr", 0.5);
  nw_json_end_object (w);
}

static void
test_styles (void)
{
  NwJsonWriter *w = nw_json_writer_new (NW_JSON_COMPACT, NW_JSON_DOUBLE_SHORTEST);
  g_autofree char *compact = NULL, *pretty = NULL;
  g_autoptr (JsonNode) a = NULL;
  g_autoptr (JsonNode) b = NULL;

  write_document (w);
  compact = finish (w);
  CU_ASSERT_STRING_EQUAL (compact, "{\"name\":\"net\",\"nodes\":[{\"id\":\"fc\",\"shape\":[2,3]},{}],"
                                   "\"edges\":[],\"lr\":0.5}");
  w = nw_json_writer_new (NW_JSON_PRETTY, NW_JSON_DOUBLE_SHORTEST);
  write_document (w);
  pretty = finish (w);
  CU_ASSERT_STRING_EQUAL (pretty,
                          "{\n"
                          "  \"name\": \"net\",\n"
                          "  \"nodes\": [\n"
                          "    {\n"
                          "      \"id\": \"fc\",\n"
                          "      \"shape\": [\n"
                          "        2,\n"
                          "        3\n"
                          "      ]\n"
                          "    },\n"
                          "    {}\n"
                          "  ],\n"
                          "  \"edges\": [],\n"
                          "  \"lr\": 0.5\n"
                          "}");
  /* One document, two layouts. */
  a = parse (compact);
  b = parse (pretty);
  CU_ASSERT_PTR_NOT_NULL_FATAL (a);
  CU_ASSERT_PTR_NOT_NULL_FATAL (b);
  CU_ASSERT (json_node_equal (a, b));
}

/* A top-level scalar, and a writer freed before it was finished. */
static void
test_top_level (void)
{
  NwJsonWriter *w = nw_json_writer_new (NW_JSON_PRETTY, NW_JSON_DOUBLE_FLOAT);
  g_autofree char *text = NULL;
  g_autoptr (NwJsonWriter) dropped = nw_json_writer_new (NW_JSON_COMPACT, NW_JSON_DOUBLE_FLOAT);
  nw_json_double (w, NULL, 0.25);
  text = finish (w);
  CU_ASSERT_STRING_EQUAL (text, "0.25");
  nw_json_begin_object (dropped, NULL);
}

static const NwTestCase writer_cases[] = {
  { "escaping", test_escaping },
  { "keys", test_keys },
  { "non_finite", test_non_finite },
  { "numbers", test_numbers },
  { "styles", test_styles },
  { "top_level", test_top_level },
  { NULL, NULL },
};

static const NwTestSuite suites[] = {
  { "json-writer", writer_cases },
  { NULL, NULL },
};

int
main (int argc, char **argv)
{
  return nw_test_main (argc, argv, suites);
}
