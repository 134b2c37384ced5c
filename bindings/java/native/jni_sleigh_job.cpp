// org.networkspaces.sleigh.SleighNative: portable jobs.
//
// map*: a MapJob (eachElem, eachWorker, map): elements in, one outcome per
// element out, chunked by the core.  One Java thread drives each (a
// SleighJob's, a stream's consumer), as a MapJob is not thread-safe; that
// thread paces the input with mapHasRoom, taking results while there is no
// room, so the results it takes meanwhile reach their futures at once.
//
// job*: a bare nws::sleigh::Job of one-element chunks for the executor:
// thread-safe, so tasks are added from any thread while one thread waits
// for their outcomes in arrival order.
//
// An outcome crosses as its bytes (the value's, or the error's UTF-8 text)
// and out = {index, ok, rank}.
#include <jni.h>

#include <algorithm>

#include "jni_sleigh.hpp"
#include "jni_util.hpp"

using namespace nws_jni;
namespace sl = nws::sleigh;

namespace {

sl::MapJob& map_job(jlong h) { return from_handle<sl::MapJob>(h); }
sl::Job& bare_job(jlong h) { return from_handle<sl::Job>(h); }

jbyteArray outcome_to_java(JNIEnv* env, const sl::ElementOutcome& o, jlongArray out, jsize at = 0) {
  const jlong meta[3] = {o.index, o.ok ? 1 : 0, o.rank};
  env->SetLongArrayRegion(out, at, 3, meta);
  return to_java(env, o.ok ? o.value : o.error);
}

}  // namespace

extern "C" {

// load_factor: not above 0 is no limit; total < 0 unknown; chunk_size 0 the core's rule.
JNIEXPORT jlong JNICALL Java_org_networkspaces_sleigh_SleighNative_mapNew(JNIEnv* env, jclass, jlong master,
                                                                          jbyteArray spec, jlong total,
                                                                          jlong chunk_size, jdouble load_factor,
                                                                          jboolean arrival) {
  return guarded(env, jlong{0}, [&] {
    sl::MapOptions o;
    if (total >= 0) o.total = total;
    o.chunk_size = chunk_size;
    if (load_factor > 0) o.load_factor = load_factor;
    o.order = arrival ? sl::Order::arrival : sl::Order::elements;
    const std::string s = required_bytes(env, spec, "the function");
    return to_handle(new sl::MapJob(sl::MapJob::each_elem(from_handle<sl::Master>(master), s, o)));
  });
}

// eachWorker: waits (interruptibly) until the group has closed.
JNIEXPORT jlong JNICALL Java_org_networkspaces_sleigh_SleighNative_mapEachWorker(JNIEnv* env, jclass, jlong master,
                                                                                 jbyteArray spec, jbyteArray args,
                                                                                 jboolean has_timeout,
                                                                                 jdouble seconds) {
  return guarded(env, jlong{0}, [&] {
    const std::string s = required_bytes(env, spec, "the function");
    const std::string a = required_bytes(env, args, "the arguments");
    const nws::Wait wait = blocking_wait(env, has_timeout, seconds, "eachWorker");
    return to_handle(new sl::MapJob(sl::MapJob::each_worker(from_handle<sl::Master>(master), s, a, wait)));
  });
}

// Waits (interruptibly) for room under the load factor.
JNIEXPORT void JNICALL Java_org_networkspaces_sleigh_SleighNative_mapAdd(JNIEnv* env, jclass, jlong h,
                                                                         jbyteArray args) {
  guarded_void(env, [&] {
    const std::string a = required_bytes(env, args, "an element's arguments");
    map_job(h).add(a, blocking_wait(env, false, 0, "room for more elements"));
  });
}

JNIEXPORT void JNICALL Java_org_networkspaces_sleigh_SleighNative_mapClose(JNIEnv* env, jclass, jlong h) {
  guarded_void(env, [&] { map_job(h).close(); });
}

// The next outcome (out: index, ok, rank), or null once every one was taken.
JNIEXPORT jbyteArray JNICALL Java_org_networkspaces_sleigh_SleighNative_mapNext(JNIEnv* env, jclass, jlong h,
                                                                               jboolean has_timeout, jdouble seconds,
                                                                               jlongArray out) {
  return guarded(env, jbyteArray{}, [&]() -> jbyteArray {
    const nws::Wait wait = blocking_wait(env, has_timeout, seconds, "a result");
    std::optional<sl::ElementOutcome> o = map_job(h).next(wait);
    if (!o) return nullptr;
    return outcome_to_java(env, *o, out);
  });
}

// The outcomes that have arrived, without waiting: byte[][] and out[0] = a
// long[] of {index, ok, rank} per outcome.
JNIEXPORT jobjectArray JNICALL Java_org_networkspaces_sleigh_SleighNative_mapDrain(JNIEnv* env, jclass, jlong h,
                                                                                  jobjectArray out) {
  return guarded(env, jobjectArray{}, [&] {
    const std::vector<sl::ElementOutcome> got = map_job(h).drain();
    const auto n = static_cast<jsize>(got.size());
    jlongArray meta = env->NewLongArray(3 * n);
    jobjectArray bytes = env->NewObjectArray(n, cache().byte_array, nullptr);
    if (!meta || !bytes) throw JavaPending{};
    for (jsize i = 0; i < n; ++i) {
      jbyteArray b = outcome_to_java(env, got[static_cast<std::size_t>(i)], meta, 3 * i);
      env->SetObjectArrayElement(bytes, i, b);
      env->DeleteLocalRef(b);
    }
    env->SetObjectArrayElement(out, 0, meta);
    return bytes;
  });
}

// Whether another chunk may start under the load factor (the core's
// outstanding_limit for the workers there are): chunks without a result
// and chunks whose results arrived but were not taken both count, so a
// consumer slower than the workers holds the input back too.
JNIEXPORT jboolean JNICALL Java_org_networkspaces_sleigh_SleighNative_mapHasRoom(JNIEnv* env, jclass, jlong h) {
  return guarded(env, jboolean{JNI_TRUE}, [&] { return static_cast<jboolean>(map_job(h).has_room()); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_sleigh_SleighNative_mapFree(JNIEnv*, jclass, jlong h) {
  delete &map_job(h);
}

// ---- the executor's job ---------------------------------------------------------

JNIEXPORT jlong JNICALL Java_org_networkspaces_sleigh_SleighNative_jobNew(JNIEnv* env, jclass, jlong master,
                                                                          jbyteArray spec) {
  return guarded(env, jlong{0}, [&] {
    const std::string s = required_bytes(env, spec, "the function");
    if (!sl::is_function_spec(s)) throw nws::Error(nws::Errc::invalid_argument, "sleigh: not a function spec");
    return to_handle(new sl::Job(from_handle<sl::Master>(master).each_elem(s)));
  });
}

// Element `index` (indices grow: the caller serialises its adds).
JNIEXPORT void JNICALL Java_org_networkspaces_sleigh_SleighNative_jobAdd(JNIEnv* env, jclass, jlong h, jlong index,
                                                                         jbyteArray args) {
  guarded_void(env, [&] {
    std::vector<std::string> element{required_bytes(env, args, "the task")};
    bare_job(h).add_chunk(index, 1, sl::frame_elements(element));
  });
}

JNIEXPORT void JNICALL Java_org_networkspaces_sleigh_SleighNative_jobClose(JNIEnv* env, jclass, jlong h) {
  guarded_void(env, [&] { bare_job(h).close(); });
}

// The next task's outcome in arrival order (out: index, ok, rank); null
// once the job is closed and every outcome was taken.  Waits for ever,
// until the thread is interrupted.
JNIEXPORT jbyteArray JNICALL Java_org_networkspaces_sleigh_SleighNative_jobNext(JNIEnv* env, jclass, jlong h,
                                                                               jlongArray out) {
  return guarded(env, jbyteArray{}, [&]() -> jbyteArray {
    const nws::Wait wait = blocking_wait(env, false, 0, "a task's result");
    std::optional<sl::ChunkResult> r = bare_job(h).next(sl::Order::arrival, wait);
    if (!r) return nullptr;
    const std::vector<sl::ElementOutcome> outcomes = sl::element_outcomes(*r);
    if (outcomes.size() != 1) throw nws::Error(nws::Errc::protocol, "sleigh: a task's chunk came back malformed");
    return outcome_to_java(env, outcomes.front(), out);
  });
}

JNIEXPORT void JNICALL Java_org_networkspaces_sleigh_SleighNative_jobFree(JNIEnv*, jclass, jlong h) {
  delete &bare_job(h);
}

}  // extern "C"
