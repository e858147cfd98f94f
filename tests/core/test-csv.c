/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "lk-csv.h"
#include "lk-error.h"

/* The CSV reader on the bytes Excel and LibreOffice write (the fixtures
 * in data/, made by data/make-fixtures.sh) and on the quoting, line-end
 * and limit cases written out here. */

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "core", "data", name, NULL);
}

static LkCsvReader *
reader_for_bytes (const char *data,
                  gssize      len,
                  const char *encoding,
                  char        delimiter,
                  GError    **error)
{
  g_autoptr(GInputStream) stream = NULL;

  if (len < 0)
    len = (gssize) strlen (data);
  stream = g_memory_input_stream_new_from_data (g_memdup2 (data, (gsize) len), len, g_free);
  return lk_csv_reader_new (stream, encoding, delimiter, error);
}

/* All records as "line:field|field|…" lines, fields' line breaks as ⏎ */
static char *
dump (LkCsvReader *reader,
      GError     **error)
{
  g_autoptr(GString) out = g_string_new (NULL);

  while (lk_csv_reader_next (reader, NULL, error))
    {
      g_string_append_printf (out, "%u:", lk_csv_reader_get_line (reader));
      for (guint i = 0; i < lk_csv_reader_get_n_fields (reader); i++)
        {
          g_autoptr(GString) field = g_string_new (lk_csv_reader_get_field (reader, i));

          g_string_replace (field, "\n", "⏎", 0);
          g_string_append_printf (out, "%s%s", i ? "|" : "", field->str);
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
dump_bytes (const char *data,
            char        delimiter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkCsvReader) reader = reader_for_bytes (data, -1, NULL, delimiter, &error);
  char *text;

  g_assert_no_error (error);
  text = dump (reader, &error);
  g_assert_no_error (error);
  return text;
}

static const char chinese_dump[] =
  "1:公司名称|联系人|职位|手机|邮箱|行业|省份|线索来源|意向等级|预计金额（万元）|负责人|标签|备注|下次跟进\n"
  "2:上海华信科技有限公司|李雷|采购经理|138 0013 8000|LiLei@HuaXin.example.com|软件与信息服务|上海|展会|A|12.5|韩梅梅|重点客户,比价中|需要报价|2024/5/20\n"
  "3:北京恒达物流有限公司|王芳|总经理|+86 139-1234-5678|wangfang@hengda.example.cn|物流运输|北京|官网表单|高|8|李雷|VIP|第一行⏎第二行|2024年6月1日\n"
  "5:𠮷野家餐饮管理有限公司|张伟|店长|010-6552 9988||餐饮零售|北京|客户推荐|C|1,200元|||他说\"尽快\"报价|\n"
  "6:深圳智汇电子股份有限公司|陈静|工程师|13712345678|chenjing@zhihui.example.cn|电子元器件|广东|展会|B|3万|韩梅梅|||2024-07-15\n";

static void
test_excel_utf8 (void)
{
  g_autofree char *path = fixture ("excel-utf8.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(LkCsvReader) reader = lk_csv_reader_new_for_path (path, NULL, 0, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (lk_csv_reader_get_encoding (reader), ==, "UTF-8");
  g_assert_true (lk_csv_reader_get_had_bom (reader));
  g_assert_cmpint (lk_csv_reader_get_delimiter (reader), ==, ',');
  text = dump (reader, &error);
  g_assert_no_error (error);
  /* The BOM is not part of the first header; the cell with a line break
   * spans lines 3 and 4, so the next record starts on line 5. */
  g_assert_cmpstr (text, ==, chinese_dump);
}

static void
test_excel_gb18030 (void)
{
  g_autofree char *path = fixture ("excel-gb18030.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(LkCsvReader) reader = lk_csv_reader_new_for_path (path, NULL, 0, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (lk_csv_reader_get_encoding (reader), ==, "GB18030");
  g_assert_false (lk_csv_reader_get_had_bom (reader));
  text = dump (reader, &error);
  g_assert_no_error (error);
  /* The same text as the UTF-8 file, 𠮷 (four bytes in GB18030) included. */
  g_assert_cmpstr (text, ==, chinese_dump);
}

static void
test_excel_unicode_text (void)
{
  g_autofree char *path = fixture ("excel-unicode.txt");
  g_autoptr(GError) error = NULL;
  g_autoptr(LkCsvReader) reader = lk_csv_reader_new_for_path (path, NULL, 0, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (lk_csv_reader_get_encoding (reader), ==, "UTF-16LE");
  g_assert_true (lk_csv_reader_get_had_bom (reader));
  g_assert_cmpint (lk_csv_reader_get_delimiter (reader), ==, '\t');
  text = dump (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==,
                   "1:公司名称|联系人|电话|邮箱|备注\n"
                   "2:上海华信科技有限公司|李雷|13800138000|lilei@huaxin.example.com|第一行⏎第二行\n"
                   "4:恒达物流集团|王芳|13912345678||逗号, 不分列\n"
                   "5:Northwind GmbH|Anna Weber|+49 30 1234567|anna.weber@northwind.example.de|Sagte \"bald\"\n");
}

static void
test_libreoffice (void)
{
  g_autofree char *path = fixture ("libreoffice.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(LkCsvReader) reader = lk_csv_reader_new_for_path (path, NULL, 0, &error);
  guint n = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (lk_csv_reader_get_encoding (reader), ==, "UTF-8");
  g_assert_false (lk_csv_reader_get_had_bom (reader));
  g_assert_cmpint (lk_csv_reader_get_delimiter (reader), ==, ',');
  while (lk_csv_reader_next (reader, NULL, &error))
    {
      g_assert_cmpuint (lk_csv_reader_get_n_fields (reader), ==, 15);
      if (n == 1)
        {
          g_assert_cmpstr (lk_csv_reader_get_field (reader, 0), ==, "Blue River Co., Ltd.");
          g_assert_cmpstr (lk_csv_reader_get_field (reader, 10), ==, "125,000.50");
        }
      if (n == 2)
        g_assert_cmpstr (lk_csv_reader_get_field (reader, 13), ==, "Met at booth 12\nwants a quote");
      if (n == 3)
        g_assert_cmpuint (lk_csv_reader_get_line (reader), ==, 5);
      n++;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 4);
}

static void
test_semicolon_cr (void)
{
  g_autofree char *path = fixture ("semicolon-cr.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(LkCsvReader) reader = lk_csv_reader_new_for_path (path, NULL, 0, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (lk_csv_reader_get_delimiter (reader), ==, ';');
  text = dump (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==,
                   "1:Firma|Contact|Phone|Email\n"
                   "2:Nova SA|Marie Dubois|+33 1 42 68 53 00|marie@nova.example.fr\n"
                   "3:Harbor; Co|Jan Jansen|+49 40 123456|jan@harbor.example.de\n");
}

static void
test_quoting (void)
{
  struct
  {
    const char *input;
    const char *expected;
  } cases[] = {
    /* embedded delimiter, doubled quotes, empty fields, no final line end */
    { "a,\"b,c\",\"d\"\"e\",,f", "1:a|b,c|d\"e||f\n" },
    /* a quote inside a plain field is kept */
    { "5\" screen,x\n", "1:5\" screen|x\n" },
    /* text after a closing quote is read on, as spreadsheets do */
    { "\"abc\"def,g\n", "1:abcdef|g\n" },
    /* a quoted empty field and a quoted field of quotes */
    { "\"\",\"\"\"\"\n", "1:|\"\n" },
    /* CRLF, LF and CR mixed; blank lines skipped, but counted */
    { "a\r\nb\n\nc\rd\r\n\r\ne", "1:a\n2:b\n4:c\n5:d\n7:e\n" },
    /* a CRLF inside quotes becomes one line break, and counts as one line */
    { "\"x\r\ny\",z\r\nnext\r\n", "1:x⏎y|z\n3:next\n" },
    /* a line with only delimiters is a record of empty fields */
    { ",,\n", "1:||\n" },
    /* spaces are data */
    { " a , b \n", "1: a | b \n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = dump_bytes (cases[i].input, ',');

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

static void
test_detect_delimiter (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkCsvReader) tabs = reader_for_bytes ("a\tb, c\tc\n1\t2, 3\t4\n", -1, NULL, 0, &error);
  g_autoptr(LkCsvReader) semis = reader_for_bytes ("\"a;x\";b;c\n1,5;2;3\n", -1, NULL, 0, &error);
  g_autoptr(LkCsvReader) single = reader_for_bytes ("name\nAnna\n", -1, NULL, 0, &error);
  g_autoptr(LkCsvReader) given = reader_for_bytes ("a;b,c\n", -1, NULL, ',', &error);

  g_assert_no_error (error);
  /* The separator that splits every line the same way wins. */
  g_assert_cmpint (lk_csv_reader_get_delimiter (tabs), ==, '\t');
  g_assert_cmpint (lk_csv_reader_get_delimiter (semis), ==, ';');
  g_assert_cmpint (lk_csv_reader_get_delimiter (single), ==, ',');
  g_assert_cmpint (lk_csv_reader_get_delimiter (given), ==, ',');
  g_assert_true (lk_csv_reader_next (given, NULL, &error));
  g_assert_cmpstr (lk_csv_reader_get_field (given, 0), ==, "a;b");
}

static void
test_encoding_given (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *gbk = g_convert ("公司,联系人\n华信,李雷\n", -1, "GBK", "UTF-8", NULL, NULL, &error);
  g_autoptr(LkCsvReader) reader = NULL;
  g_autoptr(LkCsvReader) unknown = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  reader = reader_for_bytes (gbk, -1, "gbk", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (lk_csv_reader_get_encoding (reader), ==, "GBK");
  text = dump (reader, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "1:公司|联系人\n2:华信|李雷\n");

  unknown = reader_for_bytes ("a\n", -1, "no-such-encoding", 0, &error);
  g_assert_null (unknown);
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "no-such-encoding"));
}

/* More than one chunk, with multibyte characters and CRLF across the
 * chunk boundaries, in UTF-8 and GB18030. */
static void
test_chunks (void)
{
  g_autoptr(GString) csv = g_string_new ("公司,备注\r\n");
  const char *encodings[] = { "UTF-8", "GB18030" };

  for (guint i = 0; i < 6000; i++)
    g_string_append_printf (csv, "华信科技%u,\"第一行%u\r\n第二行, 引号\"\"\"\r\n", i, i);

  for (guint e = 0; e < G_N_ELEMENTS (encodings); e++)
    {
      g_autoptr(GError) error = NULL;
      gsize len = 0;
      g_autofree char *bytes = g_convert (csv->str, -1, encodings[e], "UTF-8", NULL, &len, &error);
      g_autoptr(LkCsvReader) reader = NULL;
      guint n = 0;

      g_assert_no_error (error);
      g_assert_cmpuint (len, >, 3 * 65536);
      reader = reader_for_bytes (bytes, (gssize) len, NULL, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (lk_csv_reader_get_encoding (reader), ==, encodings[e]);
      g_assert_true (lk_csv_reader_next (reader, NULL, &error));
      while (lk_csv_reader_next (reader, NULL, &error))
        {
          g_autofree char *company = g_strdup_printf ("华信科技%u", n);
          g_autofree char *note = g_strdup_printf ("第一行%u\n第二行, 引号\"", n);

          g_assert_cmpstr (lk_csv_reader_get_field (reader, 0), ==, company);
          g_assert_cmpstr (lk_csv_reader_get_field (reader, 1), ==, note);
          g_assert_cmpuint (lk_csv_reader_get_line (reader), ==, 2 + 2 * n);
          n++;
        }
      g_assert_no_error (error);
      g_assert_cmpuint (n, ==, 6000);
      g_assert_cmpint (lk_csv_reader_get_bytes_read (reader), ==, (gint64) len);
    }
}

static void
expect_error (const char *data,
              gssize      len,
              const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LkCsvReader) reader = reader_for_bytes (data, len, NULL, 0, &error);

  if (reader != NULL)
    {
      while (lk_csv_reader_next (reader, NULL, &error))
        ;
    }
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, message));
}

static void
test_errors (void)
{
  g_autofree char *path = fixture ("unclosed-quote.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(LkCsvReader) reader = lk_csv_reader_new_for_path (path, NULL, 0, &error);

  g_assert_no_error (error);
  g_assert_true (lk_csv_reader_next (reader, NULL, &error));
  g_assert_true (lk_csv_reader_next (reader, NULL, &error));
  g_assert_null (lk_csv_reader_get_problem (reader));
  /* The field opened on line 3 runs to the end of the file: the last
   * record, with its problem, and then the end. */
  g_assert_true (lk_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lk_csv_reader_get_line (reader), ==, 3);
  g_assert_cmpstr (lk_csv_reader_get_problem (reader), ==,
                   "a quoted field that starts on this line is never closed (a \" is missing)");
  g_assert_false (lk_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (lk_csv_reader_get_problem (reader));

  /* UTF-8 up to a stray GB18030 pair on line 3 (the rest decided UTF-8) */
  {
    g_autoptr(GString) s = g_string_new (NULL);

    for (guint i = 0; i < 9000; i++)
      g_string_append (s, "ascii,text\n");
    g_string_append (s, "\xc8\xb7\xb6\xa8,x\n");
    expect_error (s->str, (gssize) s->len, "line 9001: the text is not valid UTF-8");
  }
  expect_error ("a,b\nc,\0d\n", 9, "line 2: the file holds a NUL character");
  expect_error ("PK\003\004\024\000\006\000", 8, "This is an Excel workbook (.xlsx)");
  expect_error ("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, "This is an old Excel workbook (.xls)");
}

static void
test_limits (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) long_line = g_string_new ("a,b\n");
  g_autoptr(LkCsvReader) reader = NULL;

  g_string_append (long_line, "x,\"");
  for (guint i = 0; i < 5000; i++)
    g_string_append (long_line, "0123456789");
  g_string_append (long_line, "\"\n");

  /* A record over the limit stops the reader; nothing grows without end. */
  reader = reader_for_bytes (long_line->str, (gssize) long_line->len, NULL, 0, &error);
  g_assert_no_error (error);
  lk_csv_reader_set_limits (reader, 1000, LK_CSV_MAX_FILE_BYTES);
  g_assert_true (lk_csv_reader_next (reader, NULL, &error));
  g_assert_false (lk_csv_reader_next (reader, NULL, &error));
  g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "line 2: a record is longer than 1000 bytes"));
  g_clear_error (&error);
  g_clear_pointer (&reader, lk_csv_reader_free);

  /* The same without quotes: a line over the limit */
  g_string_replace (long_line, "\"", "", 0);
  reader = reader_for_bytes (long_line->str, (gssize) long_line->len, NULL, 0, &error);
  lk_csv_reader_set_limits (reader, 1000, LK_CSV_MAX_FILE_BYTES);
  g_assert_true (lk_csv_reader_next (reader, NULL, &error));
  g_assert_false (lk_csv_reader_next (reader, NULL, &error));
  g_assert_true (g_str_has_prefix (error->message, "line 2: a line is longer than 1000 bytes"));
  g_clear_error (&error);
  g_clear_pointer (&reader, lk_csv_reader_free);

  /* A file over the limit, found while reading */
  {
    g_autoptr(GString) big = g_string_new (NULL);

    for (guint i = 0; i < 20000; i++)
      g_string_append (big, "company,contact\n");
    reader = reader_for_bytes (big->str, (gssize) big->len, NULL, 0, &error);
    lk_csv_reader_set_limits (reader, 1000, 100000);
    while (lk_csv_reader_next (reader, NULL, &error))
      ;
    g_assert_error (error, LK_ERROR, LK_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (error->message, "The file is larger than"));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/csv/excel-utf8", test_excel_utf8);
  g_test_add_func ("/csv/excel-gb18030", test_excel_gb18030);
  g_test_add_func ("/csv/excel-unicode-text", test_excel_unicode_text);
  g_test_add_func ("/csv/libreoffice", test_libreoffice);
  g_test_add_func ("/csv/semicolon-cr", test_semicolon_cr);
  g_test_add_func ("/csv/quoting", test_quoting);
  g_test_add_func ("/csv/detect-delimiter", test_detect_delimiter);
  g_test_add_func ("/csv/encoding-given", test_encoding_given);
  g_test_add_func ("/csv/chunks", test_chunks);
  g_test_add_func ("/csv/errors", test_errors);
  g_test_add_func ("/csv/limits", test_limits);
  return g_test_run ();
}
