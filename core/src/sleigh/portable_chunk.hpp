// A worker's side of portable chunks: the function spec checked against
// the worker's language (and cached), the elements unframed, one call per
// element, the outcomes framed.  Shared by run_worker and PortableWorker.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "nws/sleigh_tasks.hpp"

namespace nws::sleigh::detail {

// A portable chunk's outcomes as they are answered, keeping the first
// error for the worker's log line.
class ChunkOutcomes {
 public:
  void value(std::string_view bytes) { w_.value(bytes); }
  void error(std::int64_t index, std::string_view message);
  TaskOutcome finish();

 private:
  OutcomeWriter w_;
  std::string first_error_;
};

class PortableChunks {
 public:
  explicit PortableChunks(std::string language) : language_(std::move(language)) {}
  // The chunk's function spec; Errc::invalid_argument when it is for
  // another language than this worker's.
  const FunctionSpec& spec(const TaskRun& t);
  // The chunk's elements' argument bytes; Errc::serialisation when the
  // payload does not hold as many as its envelope says.
  static std::vector<std::string_view> elements(const TaskRun& t);
  // Runs every element with `call`; an element whose call throws gets the
  // exception's message as its outcome.
  TaskOutcome run(const TaskRun& t, const std::function<std::string(const PortableCall&)>& call);

 private:
  std::string language_;
  std::map<std::string, FunctionSpec, std::less<>> specs_;
};

}  // namespace nws::sleigh::detail
