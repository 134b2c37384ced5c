// The five worker languages: their ids, environment prefixes, default
// worker programs, and how each names a function.  One table, so that a
// master of any language launches any other's workers the same way.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <regex>

#include "nws/sleigh_tasks.hpp"

namespace nws::sleigh {
namespace {

struct LanguageRow {
  const char* id;
  const char* prefix;
  const char* form;    // how a function is named, for messages
  const char* syntax;  // the name's grammar
};

// Names are checked here, on the master, so that a typo fails at once with
// the form to use rather than on every worker.
const LanguageRow kLanguages[] = {
    {"python", "PythonSleigh", "module:function",
     R"(^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*:[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$)"},
    {"r", "RSleigh", "function or package::function", R"(^([A-Za-z.][\w.]*::)?[A-Za-z.][\w.]*$)"},
    {"java", "JavaSleigh", "package.Class#method", R"(^([A-Za-z_$][\w$]*\.)*[A-Za-z_$][\w$]*#[A-Za-z_$][\w$]*$)"},
    {"perl", "PerlSleigh", "Module::function", R"(^[A-Za-z_]\w*(::[A-Za-z_]\w*)*::[A-Za-z_]\w*$)"},
    {"ruby", "RubySleigh", "Module.method", R"(^[A-Z]\w*(::[A-Z]\w*)*\.[A-Za-z_]\w*[?!]?$)"},
};

const LanguageRow& row(std::string_view language) {
  const std::string id = language_id(language);
  for (const auto& r : kLanguages)
    if (id == r.id) return r;
  return kLanguages[0];  // unreachable: language_id accepted only the table's ids
}

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

}  // namespace

const std::vector<std::string>& worker_languages() {
  static const std::vector<std::string> ids = [] {
    std::vector<std::string> v;
    for (const auto& r : kLanguages) v.emplace_back(r.id);
    return v;
  }();
  return ids;
}

std::string language_id(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const auto& r : kLanguages)
    if (lower == r.id) return lower;
  throw Error(Errc::invalid_argument,
              "sleigh: unknown worker language '" + std::string(name) + "' (python, r, java, perl or ruby)");
}

std::string env_prefix_for(std::string_view language) { return row(language).prefix; }

std::string_view name_form(std::string_view language) { return row(language).form; }

void check_function_name(std::string_view language, std::string_view name) {
  const LanguageRow& r = row(language);
  static const std::vector<std::regex> grammars = [] {
    std::vector<std::regex> g;
    for (const auto& l : kLanguages) g.emplace_back(l.syntax, std::regex::ECMAScript);
    return g;
  }();
  const std::size_t at = static_cast<std::size_t>(&r - kLanguages);
  if (!std::regex_match(std::string(name), grammars[at]))
    throw Error(Errc::invalid_argument, "sleigh: '" + std::string(name) + "' is not a " + r.id +
                                            " function name: write it as " + r.form);
}

std::vector<std::string> default_worker_program(std::string_view language) {
  const std::string id = language_id(language);
  if (id == "python") return {env_or("NWS_SLEIGH_PYTHON", "python3"), "-m", "nws.sleigh.worker"};
  if (id == "r")
    return {env_or("NWS_SLEIGH_RSCRIPT", "Rscript"), "--no-save", "--no-restore", "-e",
            "library(nws); quit(save = 'no', status = cmdLaunch())"};
  if (id == "java") {
    const char* cp = std::getenv("NWS_SLEIGH_CLASSPATH");
    if (!cp || !*cp) cp = std::getenv("CLASSPATH");
    if (!cp || !*cp)
      throw Error(Errc::invalid_argument,
                  "sleigh: Java workers need a class path holding the nws jar and the task classes: set "
                  "NWS_SLEIGH_CLASSPATH (or CLASSPATH), or give the worker program");
    return {env_or("NWS_SLEIGH_JAVA", "java"), "-cp", cp, "org.networkspaces.sleigh.Worker"};
  }
  if (id == "perl") return {env_or("NWS_SLEIGH_PERL", "perl"), "-MNWS::Sleigh::Worker", "-e", "NWS::Sleigh::Worker::main()"};
  return {env_or("NWS_SLEIGH_RUBY", "ruby"), "-rnws/sleigh/worker", "-e", "NWS::Sleigh::Worker.main"};
}

}  // namespace nws::sleigh
