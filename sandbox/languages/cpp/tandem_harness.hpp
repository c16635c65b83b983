// Tandem's function-style harness for C++ (runs inside the box).
//
// harness.cpp includes the candidate's solution.cpp, then this file, and calls
// tandem::run(&function). Templates read the candidate's own parameter types, so `vector<int>&`,
// `const vector<long long>&` and `long long` all work. The parts that do not depend on those types
// live in tandem_runtime.cpp, compiled once per host (compiling them per run costs ~1.5 s).
//
// stdin:  <nonce>\n<config json>\n<test count>\n<args json>\n...
// stdout: the candidate's prints, with frames "\x1e<nonce><kind>..." between them
//         (see sandbox/box/HarnessStream.ts for the kinds).
#pragma once

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tandem {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// ---------------------------------------------------------------- JSON values and parsing

struct Json {
  enum Kind { Null, Bool, Number, String, Array, Object } kind = Null;
  bool boolean = false;
  std::string text;  // a number's literal, or a string's value
  std::vector<Json> items;
  std::vector<std::pair<std::string, Json>> fields;
};

/** Parses one JSON document; throws Error. */
Json parseJson(std::string_view input);

// ---------------------------------------------------------------- JSON → the candidate's types

template <class T> struct IsVector : std::false_type {};
template <class T, class A> struct IsVector<std::vector<T, A>> : std::true_type {};
template <class T> struct IsOptional : std::false_type {};
template <class T> struct IsOptional<std::optional<T>> : std::true_type {};
template <class T> struct IsStringMap : std::false_type {};
template <class V, class H, class E, class A>
struct IsStringMap<std::unordered_map<std::string, V, H, E, A>> : std::true_type {};
template <class V, class C, class A> struct IsStringMap<std::map<std::string, V, C, A>> : std::true_type {};
template <class T> struct IsPair : std::false_type {};
template <class A, class B> struct IsPair<std::pair<A, B>> : std::true_type {};
template <class T, class = void> struct IsRange : std::false_type {};
template <class T>
struct IsRange<T, std::void_t<decltype(std::begin(std::declval<const T&>())), typename T::value_type>>
    : std::true_type {};
template <class> inline constexpr bool kUnsupported = false;

template <class T> T fromJson(const Json& j) {
  if constexpr (std::is_same_v<T, bool>) {
    if (j.kind != Json::Bool) throw Error("expected a bool");
    return j.boolean;
  } else if constexpr (std::is_integral_v<T>) {
    if (j.kind != Json::Number) throw Error("expected an integer");
    long long value = 0;
    auto [end, error] = std::from_chars(j.text.data(), j.text.data() + j.text.size(), value);
    if (error != std::errc() || end != j.text.data() + j.text.size()) throw Error("expected an integer");
    return static_cast<T>(value);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (j.kind != Json::Number) throw Error("expected a number");
    return static_cast<T>(std::strtod(j.text.c_str(), nullptr));
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (j.kind != Json::String) throw Error("expected a string");
    return j.text;
  } else if constexpr (IsOptional<T>::value) {
    if (j.kind == Json::Null) return std::nullopt;
    return fromJson<typename T::value_type>(j);
  } else if constexpr (IsVector<T>::value) {
    if (j.kind != Json::Array) throw Error("expected an array");
    T out;
    out.reserve(j.items.size());
    for (const Json& item : j.items) out.push_back(fromJson<typename T::value_type>(item));
    return out;
  } else if constexpr (IsStringMap<T>::value) {
    if (j.kind != Json::Object) throw Error("expected an object");
    T out;
    for (const auto& [key, value] : j.fields) out.emplace(key, fromJson<typename T::mapped_type>(value));
    return out;
  } else {
    static_assert(kUnsupported<T>,
                  "Tandem passes long long, double, bool, string, vector<T>, unordered_map<string, T> "
                  "and optional<T> parameters");
  }
}

// ---------------------------------------------------------------- the candidate's types → JSON

/** Appends `s` as a JSON string (bytes ≥ 0x80 pass through as UTF-8). */
void writeString(std::string& out, std::string_view s);

template <class T> void toJson(std::string& out, const T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    out += value ? "true" : "false";
  } else if constexpr (std::is_same_v<T, char>) {
    writeString(out, std::string_view(&value, 1));
  } else if constexpr (std::is_integral_v<T>) {
    out += std::to_string(value);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!std::isfinite(value)) throw Error("the return value contains NaN or infinity");
    char buf[64];
    auto result = std::to_chars(buf, buf + sizeof buf, static_cast<double>(value));
    out.append(buf, result.ptr);
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    writeString(out, std::string_view(value));
  } else if constexpr (IsOptional<T>::value) {
    if (value.has_value()) toJson(out, *value);
    else out += "null";
  } else if constexpr (IsPair<T>::value) {
    out += '[';
    toJson(out, value.first);
    out += ',';
    toJson(out, value.second);
    out += ']';
  } else if constexpr (IsStringMap<T>::value) {
    out += '{';
    bool first = true;
    for (const auto& [key, item] : value) {
      if (!first) out += ',';
      first = false;
      writeString(out, key);
      out += ':';
      toJson(out, item);
    }
    out += '}';
  } else if constexpr (IsRange<T>::value) {
    out += '[';
    bool first = true;
    for (const auto& item : value) {
      if (!first) out += ',';
      first = false;
      toJson(out, static_cast<const typename T::value_type&>(item));
    }
    out += ']';
  } else {
    static_assert(kUnsupported<T>, "Tandem cannot send this return type back as JSON");
  }
}

/**
 * The test loop (tandem_runtime.cpp): reads the tests from stdin and, for each, writes the start
 * frame, calls `call(args, context)` with the test's arguments, and writes its result or error
 * frame. A plain function pointer rather than std::function: instantiating std::function's
 * machinery in every candidate's compile costs more than the whole loop.
 */
int runTests(std::string (*call)(const Json& args, void* context), void* context);

// The conversions for the types most signatures use are instantiated once per host in
// tandem_runtime.o; `extern template` keeps each compile from instantiating and optimising them
// again (~0.1 s of every edit's compile). Other types are instantiated with the candidate's code.
#define TANDEM_COMMON_TYPES(X)                                                                    \
  X(bool) X(int) X(long) X(long long) X(double) X(std::string) X(std::vector<bool>)              \
  X(std::vector<int>) X(std::vector<long>) X(std::vector<long long>) X(std::vector<double>)      \
  X(std::vector<std::string>) X(std::vector<std::vector<int>>) X(std::vector<std::vector<long>>) \
  X(std::vector<std::vector<long long>>) X(std::vector<std::vector<std::string>>)
#define TANDEM_EXTERN_CONVERSIONS(T)                \
  extern template T fromJson<T>(const Json& j); \
  extern template void toJson<T>(std::string & out, const T& value);
TANDEM_COMMON_TYPES(TANDEM_EXTERN_CONVERSIONS)
#undef TANDEM_EXTERN_CONVERSIONS

template <class R, class... A, size_t... I>
std::string callWith(R (*function)(A...), const Json& args, std::index_sequence<I...>) {
  if (args.kind != Json::Array || args.items.size() != sizeof...(A)) {
    throw Error("the function takes " + std::to_string(sizeof...(A)) + " arguments; the test has " +
                std::to_string(args.items.size()));
  }
  // Decoded into named values first, so `vector<int>&` parameters bind to lvalues.
  std::tuple<std::decay_t<A>...> decoded{fromJson<std::decay_t<A>>(args.items[I])...};
  std::string payload;
  toJson(payload, function(std::get<I>(decoded)...));
  return payload;
}

template <class R, class... A> int run(R (*function)(A...)) {
  static_assert(!std::is_void_v<R>, "the function must return its answer");
  using Function = R (*)(A...);
  return runTests(
      [](const Json& args, void* context) {
        return callWith(reinterpret_cast<Function>(context), args, std::index_sequence_for<A...>{});
      },
      reinterpret_cast<void*>(function));
}

}  // namespace tandem
