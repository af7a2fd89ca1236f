/* nw-course.c: the course: course.json's list of lesson ids, each lesson read from <id>.json
 * beside it (in the programs' resources, or in a folder), and the chapters in order.
 *
 * course.json: {"format": "neurowire-course", "version": 1, "lessons": ["id", ...]}. An id
 * without its file, or a file whose lesson has another id, is an error naming both. */
#include "nw-lesson.h"
#include "nw-i18n.h"
#include "nw-lessons-resources.h"

#include <json-glib/json-glib.h>
#include <string.h>

#define NW_COURSE_FORMAT        "neurowire-course"
#define NW_COURSE_VERSION       1
#define NW_LESSONS_RESOURCE_DIR "/org/neurowire/lessons/"

struct _NwCourse {
  GPtrArray *lessons;    /* of NwLesson*, owned */
  GPtrArray *chapters;   /* of NwCourseChapter*, owned */
};

/* Reads a file's bytes: from the resource (dir NULL) or the folder. NULL when absent. */
typedef GBytes *(*ReadFile) (const char *dir, const char *name, GError **error);

static GBytes *
read_resource (const char *dir, const char *name, GError **error)
{
  g_autofree char *path = g_strconcat (NW_LESSONS_RESOURCE_DIR, name, NULL);
  /* Looked up directly, not through the global registry: this keeps the resource linked in. */
  return g_resource_lookup_data (nw_lessons_get_resource (), path, G_RESOURCE_LOOKUP_FLAGS_NONE,
                                 error);
}

static GBytes *
read_dir (const char *dir, const char *name, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *contents = NULL;
  gsize length = 0;
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  return g_bytes_new_take (contents, length);
}

static void
chapter_free (gpointer data)
{
  NwCourseChapter *c = data;
  g_ptr_array_unref (c->lessons);
  g_free (c);
}

void
nw_course_free (NwCourse *course)
{
  if (course == NULL)
    return;
  g_ptr_array_unref (course->chapters);
  g_ptr_array_unref (course->lessons);
  g_free (course);
}

static gboolean
same_text (const NwLessonText *a, const NwLessonText *b)
{
  return g_strcmp0 (a->ko, b->ko) == 0 && g_strcmp0 (a->en, b->en) == 0;
}

static NwCourse *
course_load (const char *dir, const char *where, ReadFile read, GError **error)
{
  g_autoptr (NwCourse) course = g_new0 (NwCourse, 1);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  JsonNode *root, *list;
  JsonObject *obj;
  JsonArray *ids;
  gsize len = 0;
  const char *data;

  course->lessons = g_ptr_array_new_with_free_func ((GDestroyNotify) nw_lesson_free);
  course->chapters = g_ptr_array_new_with_free_func (chapter_free);

  if ((bytes = read (dir, "course.json", &local)) == NULL)
    {
      g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_IO, _("%s: cannot read course.json: %s"),
                   where, local->message);
      return NULL;
    }
  data = g_bytes_get_data (bytes, &len);
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local))
    {
      g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID, _("%s/course.json: %s"), where,
                   local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (root), "format", ""),
                    NW_COURSE_FORMAT) != 0
      || json_object_get_int_member_with_default (json_node_get_object (root), "version", 0) != NW_COURSE_VERSION
      || (list = json_object_get_member (json_node_get_object (root), "lessons")) == NULL
      || !JSON_NODE_HOLDS_ARRAY (list))
    {
      g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID,
                   _("%s/course.json: not a course (format \"%s\", version %d, and a list \"lessons\")"),
                   where, NW_COURSE_FORMAT, NW_COURSE_VERSION);
      return NULL;
    }
  obj = json_node_get_object (root);
  (void) obj;
  ids = json_node_get_array (list);
  for (guint i = 0; i < json_array_get_length (ids); i++)
    {
      JsonNode *e = json_array_get_element (ids, i);
      const char *id;
      g_autofree char *file = NULL;
      g_autoptr (GBytes) lb = NULL;
      g_autoptr (GError) lerr = NULL;
      NwLesson *lesson;
      const char *ldata;
      gsize llen = 0;

      if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
        {
          g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID,
                       _("%s/course.json: lesson %u is not an id (a string)"), where, i + 1);
          return NULL;
        }
      id = json_node_get_string (e);
      file = g_strconcat (id, ".json", NULL);
      if (nw_course_find (course, id) != NULL)
        {
          g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID,
                       _("%s/course.json: lesson '%s' is listed twice"), where, id);
          return NULL;
        }
      if (strchr (id, '/') != NULL || (lb = read (dir, file, &lerr)) == NULL)
        {
          g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID,
                       _("%s/course.json lists lesson '%s', but there is no file %s"), where, id, file);
          return NULL;
        }
      ldata = g_bytes_get_data (lb, &llen);
      lesson = nw_lesson_from_json (ldata, (gssize) llen, file, error);
      if (lesson == NULL)
        return NULL;
      g_ptr_array_add (course->lessons, lesson);
      if (g_strcmp0 (lesson->id, id) != 0)
        {
          g_set_error (error, NW_LESSON_ERROR, NW_LESSON_ERROR_INVALID,
                       _("%s: the lesson's id is '%s', but course.json lists it as '%s'"), file,
                       lesson->id, id);
          return NULL;
        }
    }

  /* Chapters, in the order of their first lesson. */
  for (guint i = 0; i < course->lessons->len; i++)
    {
      const NwLesson *lesson = g_ptr_array_index (course->lessons, i);
      NwCourseChapter *chapter = NULL;
      for (guint c = 0; c < course->chapters->len && chapter == NULL; c++)
        {
          NwCourseChapter *ch = g_ptr_array_index (course->chapters, c);
          if (same_text (ch->title, &lesson->chapter))
            chapter = ch;
        }
      if (chapter == NULL)
        {
          chapter = g_new0 (NwCourseChapter, 1);
          chapter->title = &lesson->chapter;
          chapter->lessons = g_ptr_array_new ();
          g_ptr_array_add (course->chapters, chapter);
        }
      g_ptr_array_add (chapter->lessons, (gpointer) lesson);
    }
  return g_steal_pointer (&course);
}

NwCourse *
nw_course_load_builtin (GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  /* Translators: where the built-in course's files are, in messages about them */
  return course_load (NULL, _("the built-in course"), read_resource, error);
}

NwCourse *
nw_course_load_dir (const char *dir, GError **error)
{
  g_return_val_if_fail (dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return course_load (dir, dir, read_dir, error);
}

GPtrArray *
nw_course_get_lessons (NwCourse *course)
{
  g_return_val_if_fail (course != NULL, NULL);
  return course->lessons;
}

GPtrArray *
nw_course_get_chapters (NwCourse *course)
{
  g_return_val_if_fail (course != NULL, NULL);
  return course->chapters;
}

const NwLesson *
nw_course_find (NwCourse *course, const char *id)
{
  g_return_val_if_fail (course != NULL && id != NULL, NULL);
  for (guint i = 0; i < course->lessons->len; i++)
    {
      const NwLesson *lesson = g_ptr_array_index (course->lessons, i);
      if (g_strcmp0 (lesson->id, id) == 0)
        return lesson;
    }
  return NULL;
}
