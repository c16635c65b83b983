// Tandem's function-style harness for Java (runs inside the box).
//
// stdin:  <nonce>\n<config json>\n<test count>\n<args json>\n...
// stdout: the candidate's prints, with frames "\x1e<nonce><kind>..." between them
//         (see sandbox/box/HarnessStream.ts for the kinds).
//
// The candidate's method is found by reflection on class Solution (static or not), and each
// argument is converted to the method's own parameter type: long[] or int[], List<Long>,
// Map<String, Integer>, Long for an optional, and so on.

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

final class TandemHarness {
  private static final OutputStream OUT = new FileOutputStream(FileDescriptor.out);
  private static byte[] nonce = new byte[0];

  public static void main(String[] argv) throws IOException {
    String input = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    String[] lines = input.split("\n", -1);
    nonce = lines[0].getBytes(StandardCharsets.US_ASCII);
    Map<?, ?> config = (Map<?, ?>) new Json(lines[1]).parse();
    String name = (String) config.get("function");
    int arity = ((List<?>) config.get("params")).size();
    int count = Integer.parseInt(lines[2].trim());

    Method method;
    Object target = null;
    try {
      Class<?> solution = Class.forName("Solution");
      method = find(solution, name, arity);
      if (method == null) {
        fatal("class Solution has no method " + name + " with " + arity + " parameters", null);
        return;
      }
      method.setAccessible(true);
      if (!Modifier.isStatic(method.getModifiers())) {
        Constructor<?> constructor = solution.getDeclaredConstructor();
        constructor.setAccessible(true);
        target = constructor.newInstance();
      }
    } catch (ClassNotFoundException e) {
      fatal("Solution.java must declare class Solution", null);
      return;
    } catch (Throwable t) {
      Throwable cause = t instanceof InvocationTargetException ? t.getCause() : t;
      fatal(cause.toString(), stack(cause));
      return;
    }

    Type[] types = method.getGenericParameterTypes();
    for (int i = 0; i < count; i++) {
      frame("S" + i, null);
      try {
        List<?> args = (List<?>) new Json(lines[3 + i]).parse();
        Object[] values = new Object[types.length];
        for (int j = 0; j < types.length; j++) values[j] = convert(args.get(j), types[j]);
        Object result;
        try {
          result = method.invoke(target, values);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
        StringBuilder out = new StringBuilder();
        encode(out, result);
        frame("R" + i, out.toString());
      } catch (OutOfMemoryError e) {
        // A thread bomb runs out of threads, not heap: that is the test's error, not a memory verdict.
        if (String.valueOf(e.getMessage()).contains("native thread")) {
          frame("E" + i, errorJson(e.toString(), stack(e)));
          continue;
        }
        frame("M" + i, errorJson(e.toString(), null));
        halt();
      } catch (Throwable t) {
        frame("E" + i, errorJson(t.toString(), stack(t)));
      }
    }
    frame("D", null);
    halt();
  }

  /** Ends the JVM now: threads the candidate started must not keep it alive. */
  private static void halt() {
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(0);
  }

  private static void fatal(String message, String stack) throws IOException {
    frame("F", errorJson(message, stack));
    halt();
  }

  private static Method find(Class<?> type, String name, int arity) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.getName().equals(name) && m.getParameterCount() == arity && !m.isSynthetic()) return m;
      }
    }
    return null;
  }

  private static void frame(String kind, String payload) throws IOException {
    System.out.flush();
    System.err.flush();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    line.write(0x1e);
    line.write(nonce);
    line.write(kind.getBytes(StandardCharsets.US_ASCII));
    if (payload != null) {
      line.write(' ');
      line.write(payload.getBytes(StandardCharsets.US_ASCII));
    }
    line.write('\n');
    OUT.write(line.toByteArray());
    OUT.flush();
  }

  // ------------------------------------------------------------------ errors

  private static String errorJson(String message, String stack) {
    StringBuilder out = new StringBuilder("{\"message\":");
    quote(out, message);
    if (stack != null) {
      out.append(",\"stack\":");
      quote(out, stack);
    }
    return out.append('}').toString();
  }

  /** The stack trace down to the harness's own frames; runs of one repeated frame are folded. */
  private static String stack(Throwable t) {
    StringBuilder out = new StringBuilder(t.toString());
    frames(out, t);
    Throwable cause = t.getCause();
    for (int depth = 0; cause != null && cause != t && depth < 5; depth++) {
      out.append("\nCaused by: ").append(cause);
      frames(out, cause);
      cause = cause.getCause();
    }
    return out.toString();
  }

  private static void frames(StringBuilder out, Throwable t) {
    String previous = null;
    int repeats = 0;
    for (StackTraceElement element : t.getStackTrace()) {
      String c = element.getClassName();
      if (c.startsWith("jdk.internal.reflect.")
          || c.startsWith("java.lang.reflect.")
          || c.startsWith("TandemHarness")) break;
      String text = element.toString();
      if (text.equals(previous)) {
        repeats++;
        continue;
      }
      if (repeats > 0) out.append("\n\t... (the line above repeats ").append(repeats).append(" more times)");
      repeats = 0;
      previous = text;
      out.append("\n\tat ").append(text);
    }
    if (repeats > 0) out.append("\n\t... (the line above repeats ").append(repeats).append(" more times)");
  }

  // ------------------------------------------------------------------ JSON → Java

  private static Object convert(Object value, Type type) {
    if (type instanceof WildcardType wildcard) return convert(value, wildcard.getUpperBounds()[0]);
    if (type instanceof GenericArrayType array) {
      Type component = array.getGenericComponentType();
      return toArray(value, erase(component), component);
    }
    if (type instanceof ParameterizedType parameterized) {
      Class<?> raw = (Class<?>) parameterized.getRawType();
      Type[] arguments = parameterized.getActualTypeArguments();
      if (value == null) return raw == Optional.class ? Optional.empty() : null;
      if (raw == Optional.class) return Optional.ofNullable(convert(value, arguments[0]));
      if (Map.class.isAssignableFrom(raw)) return toMap(value, raw, arguments[1]);
      if (Iterable.class.isAssignableFrom(raw)) return toCollection(value, raw, arguments[0]);
      throw new IllegalArgumentException("cannot pass a parameter of type " + type.getTypeName());
    }
    Class<?> c = (Class<?>) type;
    if (value == null) {
      if (c.isPrimitive()) throw new IllegalArgumentException("null for a " + c + " parameter");
      return c == Optional.class ? Optional.empty() : null;
    }
    if (c == long.class || c == Long.class) return integer(value);
    if (c == int.class || c == Integer.class) return Math.toIntExact(integer(value));
    if (c == short.class || c == Short.class) return (short) integer(value);
    if (c == byte.class || c == Byte.class) return (byte) integer(value);
    if (c == double.class || c == Double.class) return ((Number) value).doubleValue();
    if (c == float.class || c == Float.class) return ((Number) value).floatValue();
    if (c == boolean.class || c == Boolean.class) return (Boolean) value;
    if (c == String.class || c == CharSequence.class) return (String) value;
    if (c == char.class || c == Character.class) return ((String) value).charAt(0);
    if (c == Object.class) return value;
    if (c.isArray()) return toArray(value, c.getComponentType(), c.getComponentType());
    if (c == Optional.class) return Optional.of(value);
    if (Map.class.isAssignableFrom(c)) return toMap(value, c, Object.class);
    if (Iterable.class.isAssignableFrom(c)) return toCollection(value, c, Object.class);
    throw new IllegalArgumentException("cannot pass a parameter of type " + c.getName());
  }

  private static long integer(Object value) {
    if (value instanceof Long l) return l;
    throw new IllegalArgumentException("expected an integer, got " + value);
  }

  private static Object toArray(Object value, Class<?> component, Type componentType) {
    if (value == null) return null;
    List<?> list = (List<?>) value;
    Object array = Array.newInstance(component, list.size());
    for (int i = 0; i < list.size(); i++) Array.set(array, i, convert(list.get(i), componentType));
    return array;
  }

  /** The first of ArrayList, LinkedList, LinkedHashSet, TreeSet the parameter type accepts. */
  private static Object toCollection(Object value, Class<?> raw, Type element) {
    Collection<Object> out;
    if (raw.isAssignableFrom(ArrayList.class)) out = new ArrayList<>();
    else if (raw.isAssignableFrom(LinkedList.class)) out = new LinkedList<>();
    else if (raw.isAssignableFrom(LinkedHashSet.class)) out = new LinkedHashSet<>();
    else if (raw.isAssignableFrom(TreeSet.class)) out = new TreeSet<>();
    else throw new IllegalArgumentException("cannot pass a parameter of type " + raw.getName());
    for (Object item : (List<?>) value) out.add(convert(item, element));
    return out;
  }

  /** A LinkedHashMap (keeps the test's key order) or a TreeMap, as the parameter type accepts. */
  private static Object toMap(Object value, Class<?> raw, Type element) {
    Map<String, Object> out;
    if (raw.isAssignableFrom(LinkedHashMap.class)) out = new LinkedHashMap<>();
    else if (raw.isAssignableFrom(TreeMap.class)) out = new TreeMap<>();
    else throw new IllegalArgumentException("cannot pass a parameter of type " + raw.getName());
    for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
      out.put((String) entry.getKey(), convert(entry.getValue(), element));
    }
    return out;
  }

  private static Class<?> erase(Type type) {
    if (type instanceof Class<?> c) return c;
    if (type instanceof ParameterizedType p) return (Class<?>) p.getRawType();
    if (type instanceof GenericArrayType g) return Array.newInstance(erase(g.getGenericComponentType()), 0).getClass();
    return Object.class;
  }

  // ------------------------------------------------------------------ Java → JSON

  private static void encode(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("the return value contains NaN or infinity");
      }
      out.append(d);
    } else if (value instanceof Number) {
      out.append(value);
    } else if (value instanceof CharSequence || value instanceof Character) {
      quote(out, value.toString());
    } else if (value instanceof Optional<?> optional) {
      encode(out, optional.orElse(null));
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!first) out.append(',');
        first = false;
        quote(out, String.valueOf(entry.getKey()));
        out.append(':');
        encode(out, entry.getValue());
      }
      out.append('}');
    } else if (value instanceof Iterable<?> iterable) {
      out.append('[');
      boolean first = true;
      for (Object item : iterable) {
        if (!first) out.append(',');
        first = false;
        encode(out, item);
      }
      out.append(']');
    } else if (value.getClass().isArray()) {
      out.append('[');
      for (int i = 0; i < Array.getLength(value); i++) {
        if (i > 0) out.append(',');
        encode(out, Array.get(value, i));
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("cannot send a " + value.getClass().getName() + " back as JSON");
    }
  }

  /** A JSON string in ASCII: everything else is escaped. */
  private static void quote(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"') out.append("\\\"");
      else if (c == '\\') out.append("\\\\");
      else if (c < 0x20 || c > 0x7e) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    out.append('"');
  }

  /** A small JSON parser: objects → LinkedHashMap, arrays → ArrayList, integers → Long. */
  private static final class Json {
    private final String s;
    private int pos;

    Json(String s) {
      this.s = s;
    }

    Object parse() {
      Object value = value();
      space();
      if (pos != s.length()) throw new IllegalArgumentException("trailing characters in JSON");
      return value;
    }

    private void space() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
    }

    private boolean eat(String word) {
      if (!s.startsWith(word, pos)) return false;
      pos += word.length();
      return true;
    }

    private Object value() {
      space();
      if (pos >= s.length()) throw new IllegalArgumentException("unexpected end of JSON");
      char c = s.charAt(pos);
      if (c == '{') {
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        space();
        if (eat("}")) return map;
        do {
          space();
          String key = string();
          space();
          if (!eat(":")) throw new IllegalArgumentException("expected ':' in JSON");
          map.put(key, value());
          space();
        } while (eat(","));
        if (!eat("}")) throw new IllegalArgumentException("expected '}' in JSON");
        return map;
      }
      if (c == '[') {
        pos++;
        List<Object> list = new ArrayList<>();
        space();
        if (eat("]")) return list;
        do {
          list.add(value());
          space();
        } while (eat(","));
        if (!eat("]")) throw new IllegalArgumentException("expected ']' in JSON");
        return list;
      }
      if (c == '"') return string();
      if (eat("true")) return Boolean.TRUE;
      if (eat("false")) return Boolean.FALSE;
      if (eat("null")) return null;
      int start = pos;
      while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) pos++;
      String number = s.substring(start, pos);
      if (number.isEmpty()) throw new IllegalArgumentException("unexpected character in JSON");
      if (number.matches("-?\\d+")) {
        try {
          return Long.parseLong(number);
        } catch (NumberFormatException e) {
          return Double.parseDouble(number);
        }
      }
      return Double.parseDouble(number);
    }

    private String string() {
      if (!eat("\"")) throw new IllegalArgumentException("expected a JSON string");
      StringBuilder out = new StringBuilder();
      while (pos < s.length()) {
        char c = s.charAt(pos++);
        if (c == '"') return out.toString();
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
      throw new IllegalArgumentException("unterminated JSON string");
    }
  }
}
