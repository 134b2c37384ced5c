// Portable chunks on the worker: run_worker's element loop and the pulling
// PortableWorker (nws/sleigh_tasks.hpp).
#include "sleigh/portable_chunk.hpp"

#include "sleigh/worker_session.hpp"

namespace nws::sleigh {
namespace detail {

const FunctionSpec& PortableChunks::spec(const TaskRun& t) {
  auto it = specs_.find(t.function_id);
  if (it == specs_.end()) it = specs_.emplace(std::string(t.function_id), decode_function_spec(t.function)).first;
  const FunctionSpec& s = it->second;
  if (!language_.empty() && s.language != language_)
    throw Error(Errc::invalid_argument, "a " + s.language + " function (" +
                                            (s.name.empty() ? std::string("serialized") : s.name) +
                                            ") was sent to a " + language_ + " worker");
  return s;
}

TaskOutcome portable_outcome(const OutcomeWriter& w, std::string first_error) {
  TaskOutcome out;
  out.payload = w.finish();
  out.failed = w.errors();
  out.log = std::move(first_error);
  return out;
}

TaskOutcome PortableChunks::run(const TaskRun& t, const std::function<std::string(const PortableCall&)>& call) {
  const FunctionSpec& s = spec(t);
  const std::vector<std::string_view> args = unframe_elements(t.payload);
  if (static_cast<std::int64_t>(args.size()) != t.count)
    throw Error(Errc::serialisation, "sleigh: a chunk of " + std::to_string(t.count) + " elements holds " +
                                         std::to_string(args.size()));
  OutcomeWriter w;
  std::string first_error;
  for (std::size_t i = 0; i < args.size(); ++i) {
    PortableCall c{t.job, t.tag + static_cast<std::int64_t>(i), &s, t.function_id, args[i], t.barrier};
    try {
      w.value(call(c));
    } catch (const std::exception& e) {
      if (first_error.empty()) first_error = "task " + std::to_string(c.index) + ": " + e.what();
      w.error(e.what());
    }
  }
  return portable_outcome(w, std::move(first_error));
}

}  // namespace detail

// ---- PortableWorker ------------------------------------------------------------

struct PortableWorker::Impl {
  Impl(const WorkerEnv& env, const std::string& language, const std::string& description)
      : session(env, language, description, {}), chunks(language) {}
  detail::WorkerSession session;
  detail::PortableChunks chunks;
  std::optional<TaskRun> task;
  const FunctionSpec* spec = nullptr;
  std::vector<std::string_view> args;
  std::size_t at = 0;         // the element handed out last
  bool answered = true;       // that element has its outcome
  OutcomeWriter outcomes;
  std::string first_error;
};

PortableWorker::PortableWorker(const WorkerEnv& env, std::string language, std::string description)
    : p_(std::make_unique<Impl>(env, language_id(language), description)) {}

PortableWorker::~PortableWorker() = default;

int PortableWorker::rank() const { return p_->session.rank(); }
int PortableWorker::worker_count() const { return p_->session.worker_count(); }

std::optional<PortableCall> PortableWorker::next() {
  Impl& p = *p_;
  if (!p.answered) reply_error("the worker asked for its next task without answering this one");
  if (p.task && p.at + 1 < p.args.size()) {
    ++p.at;
  } else {
    if (p.task) {
      p.session.finish(detail::portable_outcome(p.outcomes, std::move(p.first_error)));
      p.task.reset();
    }
    for (;;) {
      p.task = p.session.next();
      if (!p.task) return std::nullopt;
      try {
        if (!is_function_spec(p.task->function))
          throw Error(Errc::invalid_argument, "this worker runs only portable tasks (named functions); the chunk "
                                              "holds another language's serialised function");
        p.spec = &p.chunks.spec(*p.task);
        p.args = unframe_elements(p.task->payload);
        if (static_cast<std::int64_t>(p.args.size()) != p.task->count)
          throw Error(Errc::serialisation, "sleigh: a chunk's element count disagrees with its envelope");
      } catch (const std::exception& e) {
        p.session.fail(e.what());
        p.task.reset();
        continue;
      }
      p.outcomes = OutcomeWriter();
      p.first_error.clear();
      p.at = 0;
      if (!p.args.empty()) break;
      p.session.finish(detail::portable_outcome(p.outcomes, {}));
      p.task.reset();
    }
  }
  p.answered = false;
  return PortableCall{p.task->job, p.task->tag + static_cast<std::int64_t>(p.at), p.spec, p.task->function_id,
                      p.args[p.at], p.task->barrier};
}

void PortableWorker::reply(std::string_view value_bytes) {
  if (p_->answered) throw Error(Errc::invalid_argument, "sleigh worker: no task to answer");
  p_->outcomes.value(value_bytes);
  p_->answered = true;
}

void PortableWorker::reply_error(std::string_view message) {
  Impl& p = *p_;
  if (p.answered) throw Error(Errc::invalid_argument, "sleigh worker: no task to answer");
  if (p.first_error.empty()) p.first_error = "task " + std::to_string(p.task->tag + p.at) + ": " + std::string(message);
  p.outcomes.error(message);
  p.answered = true;
}

}  // namespace nws::sleigh
