// nws._core's sleigh: the core's master, jobs and worker loop (nws/sleigh.hpp),
// bytes in and bytes out.  Pickling, the original API's names and options,
// futures and progress bars are Python's job (nws/sleigh/).  Portable jobs
// (functions by name, any worker language) are in bind_sleigh_tasks.cpp.
#include <map>

#include "call.hpp"
#include "nws/sleigh.hpp"
#include "nws/sleigh_tasks.hpp"

namespace nws_py {
namespace {

namespace sl = nws::sleigh;

sl::Order order_of(const std::string& name) {
  if (name == "elements") return sl::Order::elements;
  if (name == "arrival") return sl::Order::arrival;
  throw nws::Error(nws::Errc::invalid_argument, "unknown order '" + name + "' (elements or arrival)");
}

// (first, count, status, payload, rank, failed, seconds)
py::object chunk_tuple(std::optional<sl::ChunkResult>&& r) {
  if (!r) return py::none();
  return py::make_tuple(r->first, r->count, sl::chunk_status_name(r->status), to_bytes(r->payload), r->rank, r->failed,
                        r->seconds);
}

// WorkerEnv::load's form: entries separated by ':' (which no entry may hold).
std::string join_load(const std::vector<std::string>& load) {
  std::string out;
  for (const auto& entry : load) {
    if (entry.empty() || entry.find(':') != std::string::npos)
      throw nws::Error(nws::Errc::invalid_argument,
                       "sleigh: load entries must be non-empty and hold no ':' (got '" + entry + "')");
    if (!out.empty()) out += ':';
    out += entry;
  }
  return out;
}

// The master, built from keyword arguments the Python layer has checked.
std::unique_ptr<sl::Master> make_master(
    std::optional<std::string> host, py::object port, const std::string& ws_template,
    const std::string& user_ws_template, const std::string& kind, int worker_count,
    std::vector<std::string> node_list, std::map<std::string, std::vector<std::string>> prefixes,
    std::vector<std::string> worker_program, std::string working_dir, std::string log_dir,
    std::string module_path, bool redirect_output, std::string remote_host, py::object remote_port,
    std::vector<std::string> slurm_args, std::map<std::string, std::string> extra_env,
    std::string manual_command, int inbox_depth, double stop_wait, const py::dict& security,
    std::string language, const std::vector<std::string>& load) {
  sl::MasterOptions o;
  // TLS and credentials: the master's connections use them, and the
  // launcher hands them to the workers (NWS_TLS, ..., in their environment).
  apply_security(o.server, security);
  if (host) o.server.host = *host;
  if (auto p = optional_number(port, "nwsPort")) o.server.port = nws::args::port(p, nws::args::PortUse::connect);
  o.ws_name_template = ws_template;
  o.user_ws_name_template = user_ws_template;
  o.launch.kind = sl::launch_kind_named(kind);
  o.launch.worker_count = worker_count;
  o.launch.node_list = std::move(node_list);
  if (!prefixes.empty()) {
    // Computed in Python beforehand (sshcmd, or the user's function), so the
    // launcher never calls back into Python.
    o.launch.prefix = [prefixes = std::move(prefixes)](const std::string& node) {
      auto it = prefixes.find(node);
      return it == prefixes.end() ? std::vector<std::string>{} : it->second;
    };
  }
  o.launch.worker_program = std::move(worker_program);
  o.launch.working_dir = std::move(working_dir);
  o.launch.log_dir = std::move(log_dir);
  o.launch.module_path = std::move(module_path);
  o.launch.redirect_output = redirect_output;
  o.launch.remote_host = std::move(remote_host);
  if (auto p = optional_number(remote_port, "nwsPortRemote"))
    o.launch.remote_port = nws::args::port(p, nws::args::PortUse::connect);
  o.launch.slurm_args = std::move(slurm_args);
  o.launch.extra_env = std::move(extra_env);
  o.launch.manual_command = std::move(manual_command);
  // The workers' language: its environment prefix, and its default worker
  // program when worker_program is empty (another language's workers).
  o.launch.language = std::move(language);
  o.launch.load = join_load(load);
  o.inbox_depth = inbox_depth;
  o.stop_wait = stop_wait;
  // A manual launch waits for a person: Ctrl-C must reach it, so the
  // master polls the signal check as every blocking call does.
  CallScope scope;
  o.cancel = scope.wait(std::nullopt).should_cancel;
  return scope.run([&] { return std::make_unique<sl::Master>(o); });
}

// The worker loop, calling `run(function_id, function, payload, meta)` ->
// (bytes, failed, log) with the GIL for each pickled chunk, `call(function_id,
// name, args, index)` -> (True, value bytes) or (False, error text) for each
// element of a portable one, and `joined(rank, count)`.
int run_worker(const std::string& prefix, py::function run, py::object joined, const std::string& language,
               py::object call) {
  const sl::WorkerEnv env = sl::WorkerEnv::from_environment(prefix);
  sl::WorkerHooks hooks;
  hooks.language = language;
  // A Python worker: a launch for another language's workers is refused,
  // and so is another language's function.
  hooks.language_id = "python";
  if (!call.is_none()) {
    hooks.call = [&call](const sl::PortableCall& c) -> std::string {
      if (c.function->name.empty())
        throw std::runtime_error("a Python worker runs functions by name (module:function); this task carries a "
                                 "serialised function");
      py::gil_scoped_acquire gil;
      try {
        py::tuple out = call(to_bytes(c.function_id), c.function->name, to_bytes(c.args), c.index);
        if (!out[0].cast<bool>()) throw std::runtime_error(out[1].cast<std::string>());
        return std::string(view_of(out[1].cast<py::bytes>()));
      } catch (py::error_already_set& e) {
        // The hook itself failed (it reports a task's own exceptions as
        // (False, text)): still that element's error, not the worker's end.
        throw std::runtime_error(e.what());
      } catch (const py::cast_error& e) {
        throw std::runtime_error(std::string("the task caller returned a malformed outcome: ") + e.what());
      }
    };
  }
  hooks.run = [&run](const sl::TaskRun& t) {
    py::gil_scoped_acquire gil;
    try {
      // Views of the task's bytes, valid while the call runs: the Python
      // side unpickles from them without a copy.
      py::memoryview function = py::memoryview::from_memory(t.function.data(), static_cast<py::ssize_t>(t.function.size()));
      py::memoryview payload = py::memoryview::from_memory(t.payload.data(), static_cast<py::ssize_t>(t.payload.size()));
      py::tuple meta = py::make_tuple(t.job, t.tag, t.count, t.barrier, t.rank);
      py::tuple out = run(to_bytes(t.function_id), function, payload, meta);
      sl::TaskOutcome o;
      o.payload = std::string(view_of(out[0].cast<py::bytes>()));
      o.failed = out[1].cast<std::uint32_t>();
      o.log = out[2].cast<std::string>();
      return o;
    } catch (py::error_already_set& e) {
      // The whole chunk failed (the function could not be loaded, ...).
      std::string message = e.what();
      throw std::runtime_error(message);
    } catch (const py::cast_error& e) {
      throw std::runtime_error(std::string("the task runner returned a malformed outcome: ") + e.what());
    }
  };
  if (!joined.is_none()) {
    hooks.joined = [joined](int rank, int count) {
      py::gil_scoped_acquire gil;
      joined(rank, count);
    };
  }
  py::gil_scoped_release nogil;
  return sl::run_worker(env, hooks);
}

}  // namespace

void bind_sleigh(py::module_& m) {
  py::class_<sl::Job>(m, "SleighJob", "A sleigh job (nws::sleigh::Job): chunks in, results out.")
      .def_property_readonly("id", &sl::Job::id)
      .def(
          "add_chunk",
          [](sl::Job& j, std::int64_t first, std::int64_t count, const py::bytes& payload) {
            // The bytes object outlives the call: the envelope is built from a view.
            std::string_view bytes = view_of(payload);
            without_gil([&] { j.add_chunk(first, count, bytes); });
          },
          py::arg("first"), py::arg("count"), py::arg("payload"))
      .def("spills", &sl::Job::spills, py::arg("bytes"))
      .def("spill_path", &sl::Job::spill_path)
      .def(
          "add_spilled_chunk",
          [](sl::Job& j, std::int64_t first, std::int64_t count, const std::string& path) {
            without_gil([&] { j.add_spilled_chunk(first, count, path); });
          },
          py::arg("first"), py::arg("count"), py::arg("path"))
      .def("close", [](sl::Job& j) { without_gil([&] { j.close(); }); })
      .def(
          "next",
          [](sl::Job& j, const std::string& order, py::object timeout) {
            const sl::Order o = order_of(order);
            CallScope scope;
            const nws::Wait wait = scope.wait(optional_number(timeout, "timeout"));
            return chunk_tuple(scope.run([&] { return j.next(o, wait); }));
          },
          py::arg("order"), py::arg("timeout") = py::none(),
          "(first, count, status, payload, rank, failed, seconds), or None when every result was taken.")
      .def(
          "wait",
          [](sl::Job& j, py::object timeout) {
            CallScope scope;
            const nws::Wait wait = scope.wait(optional_number(timeout, "timeout"));
            scope.run([&] { j.wait(wait); });
          },
          py::arg("timeout") = py::none())
      .def(
          "wait_room",
          [](sl::Job& j, std::int64_t limit, py::object timeout) {
            CallScope scope;
            const nws::Wait wait = scope.wait(optional_number(timeout, "timeout"));
            scope.run([&] { j.wait_room(limit, wait); });
          },
          py::arg("limit"), py::arg("timeout") = py::none())
      .def_property_readonly("outstanding", &sl::Job::outstanding)
      .def_property_readonly("undelivered", &sl::Job::undelivered)
      .def_property_readonly("done", &sl::Job::done)
      .def("adaptive_chunk_size", &sl::Job::adaptive_chunk_size);

  py::class_<sl::Master>(m, "SleighMaster", "A sleigh's master (nws::sleigh::Master).")
      .def(py::init(&make_master), py::arg("host"), py::arg("port"), py::arg("ws_template"),
           py::arg("user_ws_template"), py::arg("kind"), py::arg("worker_count"), py::arg("node_list"),
           py::arg("prefixes"), py::arg("worker_program"), py::arg("working_dir"), py::arg("log_dir"),
           py::arg("module_path"), py::arg("redirect_output"), py::arg("remote_host"), py::arg("remote_port"),
           py::arg("slurm_args"), py::arg("extra_env"), py::arg("manual_command"), py::arg("inbox_depth"),
           py::arg("stop_wait"), py::arg("security") = py::dict(), py::arg("language") = "",
           py::arg("load") = std::vector<std::string>{})
      .def_property_readonly("ws_name", &sl::Master::ws_name)
      .def_property_readonly("user_ws_name", &sl::Master::user_ws_name)
      .def_property_readonly("host", &sl::Master::host)
      .def_property_readonly("port", &sl::Master::port)
      .def_property_readonly("launched", &sl::Master::launched)
      .def_property_readonly("manual_command", &sl::Master::manual_command)
      .def_property_readonly("workers_alive", &sl::Master::workers_alive)
      .def_property_readonly("stopped", &sl::Master::stopped)
      .def(
          "status",
          [](sl::Master& m, bool close_group, double timeout) {
            CallScope scope;
            // The signal check, as for every blocking call.
            const nws::Wait probe = scope.wait(std::nullopt);
            auto st = scope.run([&] { return m.status(close_group, timeout, probe.should_cancel); });
            return py::make_tuple(st.workers, st.closed);
          },
          py::arg("close_group"), py::arg("timeout"))
      .def("worker_info", [](sl::Master& m) { return without_gil([&] { return m.worker_info(); }); })
      .def(
          "each_elem",
          [](sl::Master& m, const py::bytes& function) {
            std::string_view f = view_of(function);
            return without_gil([&] { return m.each_elem(f); });
          },
          py::arg("function"))
      .def(
          "each_worker",
          [](sl::Master& m, const py::bytes& function, const py::bytes& payload, py::object timeout) {
            std::string_view f = view_of(function);
            std::string p(view_of(payload));
            CallScope scope;
            const nws::Wait wait = scope.wait(optional_number(timeout, "timeout"));
            return scope.run([&] { return m.each_worker(f, std::move(p), wait); });
          },
          py::arg("function"), py::arg("payload"), py::arg("timeout") = py::none())
      .def("stop", [](sl::Master& m) { without_gil([&] { m.stop(); }); });

  m.def("sleigh_chunk_size", &sl::chunk_size, py::arg("elements"), py::arg("workers"), py::arg("element_bytes") = 0,
        py::arg("max_chunk_bytes") = 4 << 20);
  m.def("sleigh_outstanding_limit", &sl::outstanding_limit, py::arg("load_factor"), py::arg("workers"));
  m.def("sleigh_ssh_prefix", &sl::ssh_prefix, py::arg("node"), py::arg("user") = "");
  m.def("sleigh_ssh_forward_prefix", &sl::ssh_forward_prefix, py::arg("node"), py::arg("user"), py::arg("remote_port"),
        py::arg("nws_host"), py::arg("nws_port"), py::arg("remote_host") = "");
  m.def("sleigh_shell_quote", [](const std::string& w) { return sl::shell_quote(w); });
  // Where the master's server is (the rule every binding shares): (host or
  // None, port or None, whether to start a server of its own).
  m.def(
      "sleigh_choose_server",
      [](std::optional<std::string> host, py::handle port, const std::string& prefix, const std::string& kind) {
        std::optional<std::uint16_t> p;
        if (auto n = optional_number(port, "nwsPort")) p = nws::args::port(*n, nws::args::PortUse::connect);
        sl::ServerChoice c = sl::choose_server(std::move(host), p, prefix, sl::launch_kind_named(kind));
        return py::make_tuple(c.host ? py::cast(*c.host) : py::none(), c.port ? py::cast(*c.port) : py::none(),
                              c.start_embedded);
      },
      py::arg("host"), py::arg("port"), py::arg("prefix"), py::arg("kind"));
  m.def("sleigh_worker", &run_worker, py::arg("prefix"), py::arg("run"), py::arg("joined"), py::arg("language"),
        py::arg("call") = py::none());
  // The contract of one worker a person starts (the manual launch): the
  // core's names, from the core's rules.
  m.def(
      "sleigh_worker_environment",
      [](const std::string& prefix, const std::string& ws, const std::string& host, int port,
         const std::string& user_ws, const std::string& working_dir, const std::string& module_path,
         const std::string& language, const std::vector<std::string>& load) {
        sl::WorkerEnv e;
        e.language = language.empty() ? "" : sl::language_id(language);
        e.load = join_load(load);
        e.sleigh_ws = ws;
        e.host = host;
        e.port = nws::args::port(static_cast<double>(port), nws::args::PortUse::connect);
        e.user_ws = user_ws;
        e.working_dir = working_dir;
        e.module_path = module_path;
        e.worker_count = -1;  // the master closes the group
        return e.to_environment(prefix);
      },
      py::arg("prefix"), py::arg("ws"), py::arg("host"), py::arg("port"), py::arg("user_ws"), py::arg("working_dir"),
      py::arg("module_path"), py::arg("language") = "", py::arg("load") = std::vector<std::string>{});
  m.def("sleigh_worker_env", [](const std::string& prefix) {
    auto e = sl::WorkerEnv::from_environment(prefix);
    py::dict d;
    d["host"] = e.host;
    d["port"] = e.port;
    d["sleigh_ws"] = e.sleigh_ws;
    d["user_ws"] = e.user_ws;
    d["name"] = e.name;
    d["id"] = e.id;
    d["worker_count"] = e.worker_count;
    d["working_dir"] = e.working_dir;
    d["log_dir"] = e.log_dir;
    d["worker_out"] = e.worker_out;
    d["module_path"] = e.module_path;
    d["redirect_output"] = e.redirect_output;
    d["language"] = e.language;
    d["load"] = e.load;
    return d;
  }, py::arg("prefix"));
}

}  // namespace nws_py
