package dev.agentoperator.runner.workspace;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/** Removes credentials from text meant for logs and error messages. */
public final class SecretRedactor {

  private static final String MASK = "***";
  // scheme://user:password@host: everything between "://" and the last "@" of the authority.
  private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/?#\\s@]+@");

  private final List<String> secrets;

  /** A redactor that also masks these literal values (blank values are ignored). */
  public SecretRedactor(Collection<String> secrets) {
    this.secrets = secrets.stream().filter(s -> s != null && !s.isBlank()).toList();
  }

  /** Masks the known secrets and any user info in URLs. */
  public String redact(String text) {
    if (text == null) {
      return "";
    }
    String redacted = text;
    for (String secret : secrets) {
      redacted = redacted.replace(secret, MASK);
    }
    return USER_INFO.matcher(redacted).replaceAll(MASK + "@");
  }

  /** The URL without {@code user:password@}, for a remote that is safe to store and print. */
  public static String withoutUserInfo(String url) {
    return USER_INFO.matcher(url).replaceAll("");
  }
}
