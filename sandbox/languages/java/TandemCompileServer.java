// Tandem's warm Java compiler (runs inside its own long-lived compile box).
//
// One JVM keeps javac loaded and JIT-compiled, so a compile takes a fraction of a cold javac's
// time. Requests are served one at a time; each gets a fresh compilation task and a fresh
// in-memory output, so nothing of one candidate's compile is left for the next. Annotation
// processing is off: no code from a source or the classpath runs while compiling.
//
// stdin:  one request per line: {"id": n, "files": {"Solution.java": "...", ...}}
// stdout: one response per line: {"id": n, "ok": bool, "output": "...", "classes": {"Solution.class": "<base64>"}}

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

final class TandemCompileServer {
  public static void main(String[] args) throws Exception {
    List<String> options = new ArrayList<>(List.of("-proc:none", "-encoding", "UTF-8", "-Xmaxerrs", "30"));
    if (args.length > 0) options.addAll(List.of("-cp", args[0]));
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    StandardJavaFileManager standard = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      Map<String, Object> request = Json.object(line);
      Object id = request.get("id");
      @SuppressWarnings("unchecked")
      Map<String, Object> files = (Map<String, Object>) request.get("files");
      List<JavaFileObject> sources = new ArrayList<>();
      for (Map.Entry<String, Object> file : files.entrySet()) {
        sources.add(new Source(file.getKey(), (String) file.getValue()));
      }
      Output output = new Output(standard);
      StringWriter diagnostics = new StringWriter();
      boolean ok = compiler.getTask(diagnostics, output, null, options, null, sources).call();
      StringBuilder response = new StringBuilder("{\"id\":").append(id);
      response.append(",\"ok\":").append(ok && output.problem == null);
      String text = diagnostics.toString() + (output.problem == null ? "" : output.problem);
      response.append(",\"output\":").append(Json.quote(text.stripTrailing()));
      response.append(",\"classes\":{");
      boolean first = true;
      for (Map.Entry<String, ByteArrayOutputStream> entry : output.classes.entrySet()) {
        if (!first) response.append(',');
        first = false;
        response.append(Json.quote(entry.getKey())).append(':');
        response.append('"').append(Base64.getEncoder().encodeToString(entry.getValue().toByteArray())).append('"');
      }
      out.print(response.append("}}\n"));
      out.flush();
    }
  }

  /** A source file held in memory, named as javac's diagnostics should show it. */
  private static final class Source extends SimpleJavaFileObject {
    private final String name;
    private final String text;

    Source(String name, String text) {
      super(URI.create("string:///" + name), Kind.SOURCE);
      this.name = name;
      this.text = text;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return text;
    }
  }

  /** Class files kept in memory, one map per request. */
  private static final class Output extends ForwardingJavaFileManager<StandardJavaFileManager> {
    final Map<String, ByteArrayOutputStream> classes = new LinkedHashMap<>();
    String problem;

    Output(StandardJavaFileManager standard) {
      super(standard);
    }

    @Override
    public JavaFileObject getJavaFileForOutput(
        Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
      if (className.contains(".")) {
        problem = "\nerror: " + className + ": classes must be in the default package (remove the package line)";
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      classes.put(className.replace('.', '_') + ".class", bytes);
      return new SimpleJavaFileObject(URI.create("mem:///" + className + ".class"), kind) {
        @Override
        public OutputStream openOutputStream() {
          return bytes;
        }
      };
    }
  }

  /** Just enough JSON: one object of strings, numbers and nested objects of strings. */
  private static final class Json {
    private final String s;
    private int pos;

    private Json(String s) {
      this.s = s;
    }

    static Map<String, Object> object(String text) {
      return new Json(text).parseObject();
    }

    static String quote(String text) {
      StringBuilder out = new StringBuilder("\"");
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '"') out.append("\\\"");
        else if (c == '\\') out.append("\\\\");
        else if (c < 0x20 || c > 0x7e) out.append(String.format("\\u%04x", (int) c));
        else out.append(c);
      }
      return out.append('"').toString();
    }

    private void space() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
    }

    private void expect(char c) {
      space();
      if (s.charAt(pos++) != c) throw new IllegalArgumentException("bad request at " + pos);
    }

    private Map<String, Object> parseObject() {
      Map<String, Object> map = new LinkedHashMap<>();
      expect('{');
      space();
      if (s.charAt(pos) == '}') {
        pos++;
        return map;
      }
      do {
        space();
        String key = parseString();
        expect(':');
        space();
        char c = s.charAt(pos);
        Object value = c == '{' ? parseObject() : c == '"' ? parseString() : parseNumber();
        map.put(key, value);
        space();
      } while (s.charAt(pos++) == ',');
      return map;
    }

    private String parseNumber() {
      int start = pos;
      while (pos < s.length() && "-0123456789".indexOf(s.charAt(pos)) >= 0) pos++;
      return s.substring(start, pos);
    }

    private String parseString() {
      expect('"');
      StringBuilder out = new StringBuilder();
      for (char c = s.charAt(pos++); c != '"'; c = s.charAt(pos++)) {
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = s.charAt(pos++);
        switch (e) {
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'r' -> out.append('\r');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'u' -> {
            out.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
            pos += 4;
          }
          default -> out.append(e);
        }
      }
      return out.toString();
    }
  }
}
