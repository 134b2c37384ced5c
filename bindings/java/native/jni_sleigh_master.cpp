// org.networkspaces.sleigh.SleighNative: the master (nws::sleigh::Master),
// where its server is (choose_server), its launch, and the core's naming
// rules for functions.  A handle is a heap Master; Java stops it
// (masterStop) from Sleigh.close() and frees it from a Cleaner.
#include <jni.h>

#include <map>

#include "jni_sleigh.hpp"
#include "jni_util.hpp"

using namespace nws_jni;
namespace sl = nws::sleigh;

namespace {

// The fields of a ConnectOptions, as its package-private nativeFields()
// gives them (texts, UTF-8; null: not given).  Called through JNI because
// the sleigh lives in another package than ConnectOptions.
enum ConnectField {
  host, port, timeout, tls, tls_ca, tls_cert, tls_key, tls_server_name, user, password, token, fields
};

std::vector<std::optional<std::string>> connect_fields(JNIEnv* env, jobject options) {
  std::vector<std::optional<std::string>> out(fields);
  if (!options) return out;
  jclass cls = env->GetObjectClass(options);
  jmethodID m = env->GetMethodID(cls, "nativeFields", "()[[B");
  env->DeleteLocalRef(cls);
  if (!m) throw JavaPending{};
  auto a = static_cast<jobjectArray>(env->CallObjectMethod(options, m));
  if (env->ExceptionCheck()) throw JavaPending{};
  for (jsize i = 0; i < fields && i < env->GetArrayLength(a); ++i) {
    auto item = static_cast<jbyteArray>(env->GetObjectArrayElement(a, i));
    out[static_cast<std::size_t>(i)] = optional_bytes(env, item);
    if (item && i == password) {  // the secret's copy in Java goes now; ours with the options
      const jsize n = env->GetArrayLength(item);
      std::vector<jbyte> zero(static_cast<std::size_t>(n), 0);
      env->SetByteArrayRegion(item, 0, n, zero.data());
    }
    env->DeleteLocalRef(item);
  }
  env->DeleteLocalRef(a);
  return out;
}

double number(const std::string& text, const char* what) {
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  throw nws::Error(nws::Errc::invalid_argument, std::string(what) + " is not a number: " + text);
}

void apply_connect(nws::ConnectOptions& o, std::vector<std::optional<std::string>>& f) {
  if (f[timeout]) o.connect_timeout = nws::args::connect_timeout(number(*f[timeout], "the connect timeout"));
  o.tls.enabled = f[tls].has_value();
  o.tls.ca_file = f[tls_ca].value_or(std::string());
  o.tls.cert_file = f[tls_cert].value_or(std::string());
  o.tls.key_file = f[tls_key].value_or(std::string());
  o.tls.server_name = f[tls_server_name].value_or(std::string());
  o.user = f[user].value_or(std::string());
  o.password = f[password].value_or(std::string());
  o.token = f[token].value_or(std::string());
  if (f[password]) std::fill(f[password]->begin(), f[password]->end(), '\0');
}

// SleighOptions' texts, in Sleigh.java's order (SleighNative.T_*).
enum Text { kind, ws_template, user_ws_template, working_dir, log_dir, module_path, language, load, remote_host,
            manual_command, texts };
// ... and numbers (SleighNative.N_*).
enum Number { worker_count, inbox_depth, remote_port, numbers };

}  // namespace

extern "C" {

// Starts a master: connects (TLS and credentials from `connect`, the server
// at server_host:server_port, as chooseServer decided: null / -1 for the
// client's default), opens the workspaces and launches the workers.
// prefixes: for a launch by command, node i's command prefix (byte[][] per
// node of nodeList, computed in Java beforehand so that the launcher never
// calls back into Java).  extraEnv: name, value, name, value, ...
JNIEXPORT jlong JNICALL Java_org_networkspaces_sleigh_SleighNative_masterStart(
    JNIEnv* env, jclass, jobject connect, jbyteArray server_host, jint server_port, jobjectArray text,
    jintArray nums, jdouble stop_wait,
    jobjectArray node_list, jobjectArray prefixes, jobjectArray worker_program, jobjectArray slurm_args,
    jobjectArray extra_env) {
  return guarded(env, jlong{0}, [&] {
    const std::vector<std::string> t = strings_of(env, text);
    if (t.size() != texts || env->GetArrayLength(nums) != numbers)
      throw nws::Error(nws::Errc::invalid_argument, "sleigh: malformed master options");
    jint n[numbers];
    env->GetIntArrayRegion(nums, 0, numbers, n);

    sl::MasterOptions o;
    std::vector<std::optional<std::string>> f = connect_fields(env, connect);
    apply_connect(o.server, f);
    o.ws_name_template = t[ws_template];
    o.user_ws_name_template = t[user_ws_template];
    o.launch.kind = sl::launch_kind_named(t[kind]);
    o.launch.worker_count = n[worker_count];
    o.launch.node_list = strings_of(env, node_list);
    if (prefixes) {
      std::map<std::string, std::vector<std::string>> by_node;
      for (std::size_t i = 0; i < o.launch.node_list.size(); ++i) {
        auto argv = static_cast<jobjectArray>(env->GetObjectArrayElement(prefixes, static_cast<jsize>(i)));
        by_node[o.launch.node_list[i]] = strings_of(env, argv);
        env->DeleteLocalRef(argv);
      }
      o.launch.prefix = [by_node = std::move(by_node)](const std::string& node) {
        auto it = by_node.find(node);
        return it == by_node.end() ? std::vector<std::string>{} : it->second;
      };
    }
    o.launch.worker_program = strings_of(env, worker_program);
    o.launch.working_dir = t[working_dir];
    o.launch.log_dir = t[log_dir];
    o.launch.module_path = t[module_path];
    o.launch.language = t[language];
    o.launch.load = t[load];
    o.launch.remote_host = t[remote_host];
    if (n[remote_port] >= 0)
      o.launch.remote_port = nws::args::port(static_cast<double>(n[remote_port]), nws::args::PortUse::connect);
    o.launch.slurm_args = strings_of(env, slurm_args);
    const std::vector<std::string> pairs = strings_of(env, extra_env);
    for (std::size_t i = 0; i + 1 < pairs.size(); i += 2) o.launch.extra_env[pairs[i]] = pairs[i + 1];
    o.launch.manual_command = t[manual_command];
    o.inbox_depth = n[inbox_depth];
    o.stop_wait = stop_wait;

    // Where the server is: Sleigh.java asked chooseServer (and may have
    // started a server of its own).
    if (std::optional<std::string> h = optional_bytes(env, server_host)) o.server.host = *h;
    if (server_port >= 0)
      o.server.port = nws::args::port(static_cast<double>(server_port), nws::args::PortUse::connect);
    auto master = std::make_unique<sl::Master>(o);
    std::fill(o.server.password.begin(), o.server.password.end(), '\0');
    return to_handle(master.release());
  });
}

// Where a master's server is (choose_server, the rule every binding
// shares): the options' host and port, else JavaSleighNwsHost/Port (a
// master inside a Java worker), else $NWS_HOST/$NWS_PORT.  {host or null,
// port or null, "1" when a local sleigh should start a server of its own}.
JNIEXPORT jobjectArray JNICALL Java_org_networkspaces_sleigh_SleighNative_chooseServer(JNIEnv* env, jclass,
                                                                                      jobject connect,
                                                                                      jbyteArray kind) {
  return guarded(env, jobjectArray{}, [&] {
    std::vector<std::optional<std::string>> f = connect_fields(env, connect);
    if (f[password]) std::fill(f[password]->begin(), f[password]->end(), '\0');
    std::optional<std::uint16_t> port_given;
    if (f[port]) port_given = nws::args::port(number(*f[port], "the port"), nws::args::PortUse::connect);
    const sl::ServerChoice c = sl::choose_server(f[host], port_given, sl::env_prefix_for("java"),
                                                 sl::launch_kind_named(required_bytes(env, kind, "the launch")));
    jobjectArray out = env->NewObjectArray(3, cache().byte_array, nullptr);
    if (!out) throw JavaPending{};
    if (c.host) env->SetObjectArrayElement(out, 0, to_java(env, *c.host));
    if (c.port) env->SetObjectArrayElement(out, 1, to_java(env, std::to_string(*c.port)));
    if (c.start_embedded) env->SetObjectArrayElement(out, 2, to_java(env, "1"));
    return out;
  });
}

JNIEXPORT void JNICALL Java_org_networkspaces_sleigh_SleighNative_masterStop(JNIEnv* env, jclass, jlong h) {
  guarded_void(env, [&] { from_handle<sl::Master>(h).stop(); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_sleigh_SleighNative_masterFree(JNIEnv*, jclass, jlong h) {
  delete &from_handle<sl::Master>(h);
}

JNIEXPORT jboolean JNICALL Java_org_networkspaces_sleigh_SleighNative_masterStopped(JNIEnv* env, jclass, jlong h) {
  return guarded(env, jboolean{JNI_TRUE},
                 [&] { return static_cast<jboolean>(from_handle<sl::Master>(h).stopped()); });
}

// texts: ws name, user ws name, host (where workers connect), manual command.
JNIEXPORT jobjectArray JNICALL Java_org_networkspaces_sleigh_SleighNative_masterNames(JNIEnv* env, jclass, jlong h) {
  return guarded(env, jobjectArray{}, [&] {
    sl::Master& m = from_handle<sl::Master>(h);
    return strings_to_java(env, {m.ws_name(), m.user_ws_name(), m.host(), m.manual_command()});
  });
}

JNIEXPORT jint JNICALL Java_org_networkspaces_sleigh_SleighNative_masterPort(JNIEnv* env, jclass, jlong h) {
  return guarded(env, jint{0}, [&] { return static_cast<jint>(from_handle<sl::Master>(h).port()); });
}

JNIEXPORT jint JNICALL Java_org_networkspaces_sleigh_SleighNative_masterLaunched(JNIEnv* env, jclass, jlong h) {
  return guarded(env, jint{0}, [&] { return static_cast<jint>(from_handle<sl::Master>(h).launched()); });
}

JNIEXPORT jint JNICALL Java_org_networkspaces_sleigh_SleighNative_masterWorkersAlive(JNIEnv* env, jclass, jlong h) {
  return guarded(env, jint{0}, [&] { return static_cast<jint>(from_handle<sl::Master>(h).workers_alive()); });
}

// {workers, closed}; the wait ends early when the calling thread is interrupted.
JNIEXPORT jintArray JNICALL Java_org_networkspaces_sleigh_SleighNative_masterStatus(JNIEnv* env, jclass, jlong h,
                                                                                    jboolean close_group,
                                                                                    jdouble timeout) {
  return guarded(env, jintArray{}, [&] {
    const nws::Wait interrupt = blocking_wait(env, false, 0, "the sleigh's status");
    const sl::GroupStatus st =
        from_handle<sl::Master>(h).status(close_group == JNI_TRUE, timeout, interrupt.should_cancel);
    const jint out[2] = {st.workers, st.closed ? 1 : 0};
    jintArray a = env->NewIntArray(2);
    if (!a) throw JavaPending{};
    env->SetIntArrayRegion(a, 0, 2, out);
    return a;
  });
}

JNIEXPORT jobjectArray JNICALL Java_org_networkspaces_sleigh_SleighNative_masterWorkerInfo(JNIEnv* env, jclass,
                                                                                           jlong h) {
  return guarded(env, jobjectArray{}, [&] { return strings_to_java(env, from_handle<sl::Master>(h).worker_info()); });
}

// ---- the core's naming rules ------------------------------------------------------

JNIEXPORT jbyteArray JNICALL Java_org_networkspaces_sleigh_SleighNative_languageId(JNIEnv* env, jclass,
                                                                                  jbyteArray name) {
  return guarded(env, jbyteArray{},
                 [&] { return to_java(env, sl::language_id(required_bytes(env, name, "the worker language"))); });
}

JNIEXPORT jbyteArray JNICALL Java_org_networkspaces_sleigh_SleighNative_namedFunction(JNIEnv* env, jclass,
                                                                                     jbyteArray language,
                                                                                     jbyteArray name) {
  return guarded(env, jbyteArray{}, [&] {
    const std::string lang = required_bytes(env, language, "the worker language");
    return to_java(env, sl::named_function(lang, required_bytes(env, name, "the function name")));
  });
}

JNIEXPORT jbyteArray JNICALL Java_org_networkspaces_sleigh_SleighNative_serializedFunction(JNIEnv* env, jclass,
                                                                                          jbyteArray bytes) {
  return guarded(env, jbyteArray{}, [&] {
    return to_java(env, sl::serialized_function("java", required_bytes(env, bytes, "the serialised function")));
  });
}

JNIEXPORT jbyteArray JNICALL Java_org_networkspaces_sleigh_SleighNative_nameForm(JNIEnv* env, jclass,
                                                                                jbyteArray language) {
  return guarded(env, jbyteArray{}, [&] {
    return to_java(env, std::string(sl::name_form(required_bytes(env, language, "the worker language"))));
  });
}

JNIEXPORT jobjectArray JNICALL Java_org_networkspaces_sleigh_SleighNative_defaultWorkerProgram(JNIEnv* env, jclass,
                                                                                              jbyteArray language) {
  return guarded(env, jobjectArray{}, [&] {
    return strings_to_java(env, sl::default_worker_program(required_bytes(env, language, "the worker language")));
  });
}

JNIEXPORT jbyteArray JNICALL Java_org_networkspaces_sleigh_SleighNative_envPrefix(JNIEnv* env, jclass,
                                                                                 jbyteArray language) {
  return guarded(env, jbyteArray{}, [&] {
    return to_java(env, sl::env_prefix_for(required_bytes(env, language, "the worker language")));
  });
}

JNIEXPORT jobjectArray JNICALL Java_org_networkspaces_sleigh_SleighNative_sshPrefix(JNIEnv* env, jclass,
                                                                                   jbyteArray node, jbyteArray user) {
  return guarded(env, jobjectArray{}, [&] {
    return strings_to_java(env, sl::ssh_prefix(required_bytes(env, node, "the node"),
                                               optional_bytes(env, user).value_or(std::string())));
  });
}

JNIEXPORT jobjectArray JNICALL Java_org_networkspaces_sleigh_SleighNative_sshForwardPrefix(
    JNIEnv* env, jclass, jbyteArray node, jbyteArray user, jint remote_port, jbyteArray nws_host, jint nws_port,
    jbyteArray remote_host) {
  return guarded(env, jobjectArray{}, [&] {
    using nws::args::PortUse;
    return strings_to_java(
        env, sl::ssh_forward_prefix(required_bytes(env, node, "the node"),
                                    optional_bytes(env, user).value_or(std::string()),
                                    nws::args::port(static_cast<double>(remote_port), PortUse::connect),
                                    required_bytes(env, nws_host, "the server's host"),
                                    nws::args::port(static_cast<double>(nws_port), PortUse::connect),
                                    optional_bytes(env, remote_host).value_or(std::string())));
  });
}

}  // extern "C"
