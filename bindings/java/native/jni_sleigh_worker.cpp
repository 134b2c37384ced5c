// org.networkspaces.sleigh.SleighNative: the worker (nws::sleigh::PortableWorker),
// which Worker.java drives from its one thread: next call, its function
// when not cached, reply.  The core joins the sleigh (sentinel and all)
// and frames the outcomes; Java runs the calls.
#include <jni.h>

#include "jni_sleigh.hpp"
#include "jni_util.hpp"

using namespace nws_jni;
namespace sl = nws::sleigh;

namespace {

struct WorkerBox {
  WorkerBox(const sl::WorkerEnv& e, const std::string& description) : env(e), worker(e, "java", description) {}
  sl::WorkerEnv env;
  sl::PortableWorker worker;
  std::optional<sl::PortableCall> call;  // the one being answered
};

WorkerBox& box(jlong h) { return from_handle<WorkerBox>(h); }

const sl::PortableCall& current(jlong h) {
  WorkerBox& b = box(h);
  if (!b.call) throw nws::Error(nws::Errc::invalid_argument, "sleigh worker: no task is being run");
  return *b.call;
}

}  // namespace

extern "C" {

// Joins the sleigh named by the JavaSleigh* environment (SLEIGH.md §3.1).
JNIEXPORT jlong JNICALL Java_org_networkspaces_sleigh_SleighNative_workerStart(JNIEnv* env, jclass,
                                                                               jbyteArray description) {
  return guarded(env, jlong{0}, [&] {
    const sl::WorkerEnv e = sl::WorkerEnv::from_environment(sl::env_prefix_for("java"));
    return to_handle(new WorkerBox(e, required_bytes(env, description, "the worker's description")));
  });
}

// {rank, worker count}.
JNIEXPORT jintArray JNICALL Java_org_networkspaces_sleigh_SleighNative_workerRank(JNIEnv* env, jclass, jlong h) {
  return guarded(env, jintArray{}, [&] {
    const jint r[2] = {box(h).worker.rank(), box(h).worker.worker_count()};
    jintArray a = env->NewIntArray(2);
    if (!a) throw JavaPending{};
    env->SetIntArrayRegion(a, 0, 2, r);
    return a;
  });
}

// What the worker loads and where from: {Load, ModulePath, user workspace, host, port}.
JNIEXPORT jobjectArray JNICALL Java_org_networkspaces_sleigh_SleighNative_workerSettings(JNIEnv* env, jclass,
                                                                                        jlong h) {
  return guarded(env, jobjectArray{}, [&] {
    const sl::WorkerEnv& e = box(h).env;
    return strings_to_java(env, {e.load, e.module_path, e.user_ws, e.host, std::to_string(e.port)});
  });
}

// The next call's argument bytes (meta: index, barrier; id[0]: the
// function's id, a cache key), or null when the sleigh is over.
JNIEXPORT jbyteArray JNICALL Java_org_networkspaces_sleigh_SleighNative_workerNext(JNIEnv* env, jclass, jlong h,
                                                                                  jlongArray meta,
                                                                                  jobjectArray id) {
  return guarded(env, jbyteArray{}, [&]() -> jbyteArray {
    WorkerBox& b = box(h);
    b.call.reset();
    b.call = b.worker.next();
    if (!b.call) return nullptr;
    const jlong m[2] = {b.call->index, b.call->barrier ? 1 : 0};
    env->SetLongArrayRegion(meta, 0, 2, m);
    jbyteArray fid = to_java(env, b.call->function_id);
    env->SetObjectArrayElement(id, 0, fid);
    env->DeleteLocalRef(fid);
    return to_java(env, b.call->args);
  });
}

// The current call's function: {name or null, serialised bytes or null}.
JNIEXPORT jobjectArray JNICALL Java_org_networkspaces_sleigh_SleighNative_workerFunction(JNIEnv* env, jclass,
                                                                                        jlong h) {
  return guarded(env, jobjectArray{}, [&] {
    const sl::FunctionSpec& f = *current(h).function;
    jobjectArray out = env->NewObjectArray(2, cache().byte_array, nullptr);
    if (!out) throw JavaPending{};
    jbyteArray b = f.name.empty() ? to_java(env, f.serialized) : to_java(env, f.name);
    env->SetObjectArrayElement(out, f.name.empty() ? 1 : 0, b);
    env->DeleteLocalRef(b);
    return out;
  });
}

JNIEXPORT void JNICALL Java_org_networkspaces_sleigh_SleighNative_workerReply(JNIEnv* env, jclass, jlong h,
                                                                              jbyteArray value) {
  guarded_void(env, [&] {
    (void)current(h);
    box(h).worker.reply(required_bytes(env, value, "the result"));
  });
}

JNIEXPORT void JNICALL Java_org_networkspaces_sleigh_SleighNative_workerReplyError(JNIEnv* env, jclass, jlong h,
                                                                                   jbyteArray message) {
  guarded_void(env, [&] {
    (void)current(h);
    box(h).worker.reply_error(required_bytes(env, message, "the error"));
  });
}

}  // extern "C"
