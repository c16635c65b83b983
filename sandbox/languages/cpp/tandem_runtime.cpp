// Tandem's C++ harness runtime: the parts that do not depend on the candidate's types.
// Compiled once per host into tandem_runtime.o and linked with every function-style program.

#include "tandem_harness.hpp"

#include <cxxabi.h>
#include <execinfo.h>
#include <signal.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include <cstring>
#include <iostream>

namespace tandem {

namespace {

class Parser {
 public:
  explicit Parser(std::string_view input) : s_(input) {}

  Json parse() {
    Json value = parseValue();
    skipSpace();
    if (pos_ != s_.size()) throw Error("trailing characters in JSON");
    return value;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;

  void skipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t')) pos_++;
  }

  bool consume(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Json parseValue() {
    skipSpace();
    if (pos_ >= s_.size()) throw Error("unexpected end of JSON");
    Json value;
    char c = s_[pos_];
    if (c == '{') {
      value.kind = Json::Object;
      pos_++;
      skipSpace();
      if (consume("}")) return value;
      for (;;) {
        skipSpace();
        std::string key = parseString();
        skipSpace();
        if (!consume(":")) throw Error("expected ':' in JSON object");
        value.fields.emplace_back(std::move(key), parseValue());
        skipSpace();
        if (consume("}")) return value;
        if (!consume(",")) throw Error("expected ',' in JSON object");
      }
    }
    if (c == '[') {
      value.kind = Json::Array;
      pos_++;
      skipSpace();
      if (consume("]")) return value;
      for (;;) {
        value.items.push_back(parseValue());
        skipSpace();
        if (consume("]")) return value;
        if (!consume(",")) throw Error("expected ',' in JSON array");
      }
    }
    if (c == '"') {
      value.kind = Json::String;
      value.text = parseString();
      return value;
    }
    if (consume("true")) {
      value.kind = Json::Bool;
      value.boolean = true;
      return value;
    }
    if (consume("false")) {
      value.kind = Json::Bool;
      return value;
    }
    if (consume("null")) return value;
    size_t start = pos_;
    while (pos_ < s_.size() && std::strchr("+-0123456789.eE", s_[pos_]) != nullptr) pos_++;
    if (start == pos_) throw Error("unexpected character in JSON");
    value.kind = Json::Number;
    value.text = std::string(s_.substr(start, pos_ - start));
    return value;
  }

  unsigned hex4() {
    if (pos_ + 4 > s_.size()) throw Error("bad \\u escape in JSON");
    unsigned code = 0;
    for (int i = 0; i < 4; i++) {
      char h = s_[pos_++];
      code <<= 4;
      if (h >= '0' && h <= '9') code |= h - '0';
      else if (h >= 'a' && h <= 'f') code |= h - 'a' + 10;
      else if (h >= 'A' && h <= 'F') code |= h - 'A' + 10;
      else throw Error("bad \\u escape in JSON");
    }
    return code;
  }

  static void appendUtf8(std::string& out, unsigned code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xC0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xE0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (code & 0x3F));
    }
  }

  std::string parseString() {
    if (!consume("\"")) throw Error("expected a JSON string");
    std::string out;
    while (pos_ < s_.size()) {
      char c = s_[pos_++];
      if (c == '"') return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) break;
      char e = s_[pos_++];
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'u': {
          unsigned code = hex4();
          // A surrogate pair encodes one code point above U+FFFF.
          if (code >= 0xD800 && code < 0xDC00 && consume("\\u")) {
            unsigned low = hex4();
            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
          }
          appendUtf8(out, code);
          break;
        }
        default: out += e;
      }
    }
    throw Error("unterminated JSON string");
  }
};

}  // namespace

Json parseJson(std::string_view input) { return Parser(input).parse(); }

void writeString(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

namespace {

// ---------------------------------------------------------------- frames and crash reports

char gNonce[80];
long gTest = -1;
char gExe[256] = "/box/bin/prog";
char gAltStack[1 << 16];

void writeAll(const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(1, data, size);
    if (n <= 0) return;
    data += n;
    size -= static_cast<size_t>(n);
  }
}

void frame(const std::string& kind, const std::string& payload = std::string(), bool hasPayload = false) {
  std::fflush(stdout);
  std::cout.flush();
  std::cerr.flush();
  std::string line = "\x1e";
  line += gNonce;
  line += kind;
  if (hasPayload) {
    line += ' ';
    line += payload;
  }
  line += '\n';
  writeAll(line.data(), line.size());
}

std::string errorJson(const std::string& message) {
  std::string out = "{\"message\":";
  writeString(out, message);
  out += '}';
  return out;
}

// Only async-signal-safe calls from here: the process may be in any state.
void formatNumber(char* buf, unsigned long value, int base) {
  char tmp[32];
  int n = 0;
  do {
    tmp[n++] = "0123456789abcdef"[value % base];
    value /= base;
  } while (value > 0);
  for (int i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
  buf[n] = '\0';
}

void onCrash(int sig, siginfo_t*, void* context) {
  const char* name = sig == SIGSEGV ? "SIGSEGV" : sig == SIGBUS ? "SIGBUS" : sig == SIGFPE ? "SIGFPE"
                     : sig == SIGILL ? "SIGILL" : "SIGABRT";
  char header[160];
  char index[24];
  formatNumber(index, static_cast<unsigned long>(gTest < 0 ? 0 : gTest), 10);
  size_t at = 0;
  auto put = [&](const char* s) {
    while (*s != '\0' && at + 1 < sizeof header) header[at++] = *s++;
  };
  put("\x1e");
  put(gNonce);
  put("T");
  put(index);
  put(" ");
  put(name);
  put("\n");
  writeAll(header, at);
  // addr2line turns the return addresses into functions and solution.cpp lines.
  void* frames[48];
  int count = backtrace(frames, 48);
  // The faulting instruction itself, from the signal's context; the frames above it are return
  // addresses, so each gets -1 to land inside its call's line.
  unsigned long faulting = 0;
#if defined(__x86_64__)
  faulting = static_cast<unsigned long>(static_cast<ucontext_t*>(context)->uc_mcontext.gregs[REG_RIP]);
#endif
  int first = 0;
  for (int i = 0; i < count; i++) {
    if (reinterpret_cast<unsigned long>(frames[i]) == faulting) first = i + 1;
  }
  static char hex[50][24];
  static char* argv[64];
  int argc = 0;
  argv[argc++] = const_cast<char*>("addr2line");
  argv[argc++] = const_cast<char*>("-fCpi");
  argv[argc++] = const_cast<char*>("-e");
  argv[argc++] = gExe;
  int slot = 0;
  if (first > 0) {
    hex[slot][0] = '0';
    hex[slot][1] = 'x';
    formatNumber(hex[slot] + 2, faulting, 16);
    argv[argc++] = hex[slot++];
  }
  for (int i = first; i < count; i++, slot++) {
    hex[slot][0] = '0';
    hex[slot][1] = 'x';
    formatNumber(hex[slot] + 2, reinterpret_cast<unsigned long>(frames[i]) - 1, 16);
    argv[argc++] = hex[slot];
  }
  argv[argc] = nullptr;
  pid_t child = fork();
  if (child == 0) {
    execv("/usr/bin/addr2line", argv);
    _exit(127);
  }
  if (child > 0) waitpid(child, nullptr, 0);
  signal(sig, SIG_DFL);
  raise(sig);
}

void installCrashHandlers() {
  stack_t alt{};
  alt.ss_sp = gAltStack;
  alt.ss_size = sizeof gAltStack;
  sigaltstack(&alt, nullptr);
  struct sigaction action {};
  action.sa_sigaction = onCrash;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) sigaction(sig, &action, nullptr);
  void* warm[1];
  backtrace(warm, 1);  // loads libgcc now: loading it inside the handler could deadlock
}

std::string demangle(const char* name) {
  int status = 0;
  char* readable = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  std::string out = status == 0 && readable != nullptr ? readable : name;
  std::free(readable);
  return out;
}

std::string readAll() {
  std::string input;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(0, buf, sizeof buf);
    if (n <= 0) break;
    input.append(buf, static_cast<size_t>(n));
  }
  return input;
}

}  // namespace

int runTests(std::string (*call)(const Json& args, void* context), void* context) {
  std::setvbuf(stdout, nullptr, _IOLBF, 1 << 16);
  std::string input = readAll();
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i <= input.size(); i++) {
    if (i == input.size() || input[i] == '\n') {
      lines.emplace_back(input.data() + start, i - start);
      start = i + 1;
    }
  }
  if (lines.size() < 3) return 2;
  std::snprintf(gNonce, sizeof gNonce, "%.*s", static_cast<int>(lines[0].size()), lines[0].data());
  long count = std::strtol(std::string(lines[2]).c_str(), nullptr, 10);
  installCrashHandlers();
  for (long i = 0; i < count && static_cast<size_t>(3 + i) < lines.size(); i++) {
    gTest = i;
    frame("S" + std::to_string(i));
    std::string kind = "R";
    std::string payload;
    try {
      payload = call(parseJson(lines[3 + i]), context);
    } catch (const std::bad_alloc&) {
      frame("M" + std::to_string(i), errorJson("std::bad_alloc"), true);
      std::_Exit(0);
    } catch (const std::exception& error) {
      kind = "E";
      payload = errorJson(demangle(typeid(error).name()) + ": " + error.what());
    } catch (...) {
      kind = "E";
      payload = errorJson("an exception that is not a std::exception was thrown");
    }
    frame(kind + std::to_string(i), payload, true);
  }
  frame("D");
  std::_Exit(0);
}

#define TANDEM_INSTANTIATE_CONVERSIONS(T)    \
  template T fromJson<T>(const Json& j); \
  template void toJson<T>(std::string & out, const T& value);
TANDEM_COMMON_TYPES(TANDEM_INSTANTIATE_CONVERSIONS)

}  // namespace tandem
