// A worker's side of portable chunks: the function spec checked against
// the worker's language (and cached), the elements unframed, one call per
// element, the outcomes framed.  Shared by run_worker and PortableWorker.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "nws/sleigh_tasks.hpp"

namespace nws::sleigh::detail {

class PortableChunks {
 public:
  explicit PortableChunks(std::string language) : language_(std::move(language)) {}
  // The chunk's function spec; Errc::invalid_argument when it is for
  // another language than this worker's.
  const FunctionSpec& spec(const TaskRun& t);
  // Runs every element with `call`; an element whose call throws gets the
  // exception's message as its outcome.
  TaskOutcome run(const TaskRun& t, const std::function<std::string(const PortableCall&)>& call);

 private:
  std::string language_;
  std::map<std::string, FunctionSpec, std::less<>> specs_;
};

// The outcome of a portable chunk from its writer: the failed elements
// counted, the first error kept for the log.
TaskOutcome portable_outcome(const OutcomeWriter& w, std::string first_error);

}  // namespace nws::sleigh::detail
