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

void ChunkOutcomes::error(std::int64_t index, std::string_view message) {
  if (first_error_.empty()) first_error_ = "task " + std::to_string(index) + ": " + std::string(message);
  w_.error(message);
}

TaskOutcome ChunkOutcomes::finish() {
  TaskOutcome out;
  out.payload = w_.finish();
  out.failed = w_.errors();
  out.log = std::move(first_error_);
  return out;
}

std::vector<std::string_view> PortableChunks::elements(const TaskRun& t) {
  std::vector<std::string_view> args = unframe_elements(t.payload);
  if (static_cast<std::int64_t>(args.size()) != t.count)
    throw Error(Errc::serialisation, "sleigh: a chunk of " + std::to_string(t.count) + " elements holds " +
                                         std::to_string(args.size()));
  return args;
}

TaskOutcome PortableChunks::run(const TaskRun& t, const std::function<std::string(const PortableCall&)>& call) {
  const FunctionSpec& s = spec(t);
  const std::vector<std::string_view> args = elements(t);
  ChunkOutcomes outcomes;
  for (std::size_t i = 0; i < args.size(); ++i) {
    PortableCall c{t.job, t.tag + static_cast<std::int64_t>(i), &s, t.function_id, args[i], t.barrier};
    try {
      outcomes.value(call(c));
    } catch (const std::exception& e) {
      outcomes.error(c.index, e.what());
    }
  }
  return outcomes.finish();
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
  detail::ChunkOutcomes outcomes;
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
      p.session.finish(p.outcomes.finish());
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
        p.args = detail::PortableChunks::elements(*p.task);
      } catch (const std::exception& e) {
        p.session.fail(e.what());
        p.task.reset();
        continue;
      }
      p.outcomes = detail::ChunkOutcomes();
      p.at = 0;
      if (!p.args.empty()) break;
      p.session.finish(p.outcomes.finish());
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
  p.outcomes.error(p.task->tag + static_cast<std::int64_t>(p.at), message);
  p.answered = true;
}

}  // namespace nws::sleigh
