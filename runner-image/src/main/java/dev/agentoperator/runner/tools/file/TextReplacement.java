package dev.agentoperator.runner.tools.file;

import dev.agentoperator.runner.tools.ToolException;

/**
 * One exact-text replacement as edit_file and multi_edit do it: the old text must occur exactly
 * once unless every occurrence is to be replaced.
 *
 * @param oldText the exact text to find
 * @param newText its replacement
 * @param replaceAll whether several occurrences are expected
 */
record TextReplacement(String oldText, String newText, boolean replaceAll) {

  /** The content after the replacement and how many places changed. */
  record Outcome(String content, int replaced) {}

  /**
   * Applies the replacement to {@code content}; {@code where} names the file (and edit) in errors.
   * When the text is not found in a file with CRLF line ends, the same text with CRLF is tried,
   * because models write {@code \n} regardless.
   */
  Outcome applyTo(String content, String where) {
    if (oldText.isEmpty()) {
      throw new ToolException(
          where + ": old_string is empty; to create or overwrite a file use write_file");
    }
    if (oldText.equals(newText)) {
      throw new ToolException(
          where + ": old_string and new_string are identical; nothing to change");
    }
    String find = oldText;
    String replacement = newText;
    int count = count(content, find);
    if (count == 0 && content.contains("\r\n") && !oldText.contains("\r\n")) {
      find = oldText.replace("\n", "\r\n");
      replacement = newText.replace("\r\n", "\n").replace("\n", "\r\n");
      count = count(content, find);
    }
    if (count == 0) {
      throw new ToolException(
          where
              + ": old_string was not found. It must match the file exactly, including whitespace"
              + " and indentation; read the file again and copy the text without line-number"
              + " prefixes");
    }
    if (count > 1 && !replaceAll) {
      throw new ToolException(
          where
              + ": old_string matches "
              + count
              + " places; include more surrounding text to make it unique, or set replace_all to"
              + " true to change all of them");
    }
    String updated =
        replaceAll ? content.replace(find, replacement) : replaceFirst(content, find, replacement);
    return new Outcome(updated, replaceAll ? count : 1);
  }

  private static String replaceFirst(String content, String find, String replacement) {
    int at = content.indexOf(find);
    return content.substring(0, at) + replacement + content.substring(at + find.length());
  }

  private static int count(String content, String find) {
    int count = 0;
    int from = 0;
    while ((from = content.indexOf(find, from)) >= 0) {
      count++;
      from += find.length();
    }
    return count;
  }
}
