// org.networkspaces.Native: the nws::Workspace entry points (bytes in, bytes
// out; encoding values is Java's job: Values.java).
#include <jni.h>

#include "jni_util.hpp"

using namespace nws_jni;

extern "C" {

JNIEXPORT void JNICALL Java_org_networkspaces_Native_wsStore(JNIEnv* env, jclass, jlong h, jbyteArray var,
                                                             jlong descriptor, jbyteArray value) {
  guarded_void(env, [&] {
    const std::string v = bytes_of(env, value);
    from_handle<nws::Workspace>(h).store(bytes_of(env, var), static_cast<std::uint64_t>(descriptor), v);
  });
}

// how: 0 fetch, 1 fetchTry, 2 find, 3 findTry (nws::Retrieve's order).
// Returns null when a Try verb found nothing.
JNIEXPORT jbyteArray JNICALL Java_org_networkspaces_Native_wsRetrieve(JNIEnv* env, jclass, jlong h, jint how,
                                                                      jbyteArray var, jlong timeout_ns,
                                                                      jlongArray descriptor_out) {
  return guarded(env, jbyteArray{}, [&] {
    if (how < 0 || how > 3) throw nws::Error(nws::Errc::invalid_argument, "unknown retrieval");
    const auto r = static_cast<nws::Retrieve>(how);
    const bool blocks = r == nws::Retrieve::fetch || r == nws::Retrieve::find;
    const nws::Wait wait = blocks ? make_wait(env, timeout_ns) : nws::Wait{};
    const std::optional<nws::Fetched> f = from_handle<nws::Workspace>(h).retrieve(r, bytes_of(env, var), wait);
    // The value won the race with an interrupt: it is returned (not lost);
    // the thread's interrupt status is still set for the caller to see.
    return fetched_to_java(env, f, descriptor_out);
  });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_wsDeclare(JNIEnv* env, jclass, jlong h, jbyteArray var,
                                                               jbyteArray mode) {
  guarded_void(env, [&] {
    const std::string m = bytes_of(env, mode);
    from_handle<nws::Workspace>(h).declare(bytes_of(env, var), std::string_view(m));
  });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_wsDeleteVar(JNIEnv* env, jclass, jlong h, jbyteArray var) {
  guarded_void(env, [&] { from_handle<nws::Workspace>(h).delete_var(bytes_of(env, var)); });
}

JNIEXPORT jobjectArray JNICALL Java_org_networkspaces_Native_wsListVars(JNIEnv* env, jclass, jlong h) {
  return guarded(env, jobjectArray{}, [&] {
    const std::vector<nws::VarInfo> rows = from_handle<nws::Workspace>(h).list_vars();
    jobjectArray out = env->NewObjectArray(static_cast<jsize>(rows.size()), cache().object, nullptr);
    if (!out) throw JavaPending{};
    for (std::size_t i = 0; i < rows.size(); ++i) {
      jbyteArray name = to_java(env, rows[i].name);
      jbyteArray mode = to_java(env, rows[i].mode);
      jobject row = env->CallStaticObjectMethod(cache().native, cache().var_info, name, static_cast<jlong>(rows[i].values),
                                                static_cast<jlong>(rows[i].fetchers),
                                                static_cast<jlong>(rows[i].finders), mode);
      if (env->ExceptionCheck()) throw JavaPending{};
      env->SetObjectArrayElement(out, static_cast<jsize>(i), row);
      env->DeleteLocalRef(row);
      env->DeleteLocalRef(name);
      env->DeleteLocalRef(mode);
    }
    return out;
  });
}

JNIEXPORT jlong JNICALL Java_org_networkspaces_Native_wsIterator(JNIEnv* env, jclass, jlong h, jbyteArray var,
                                                                 jboolean consuming) {
  return guarded(env, jlong{0}, [&] {
    nws::Workspace& ws = from_handle<nws::Workspace>(h);
    const std::string v = bytes_of(env, var);
    return to_handle(new nws::Iterator(consuming ? ws.ifetch(v) : ws.ifind(v)));
  });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_wsClose(JNIEnv* env, jclass, jlong h) {
  guarded_void(env, [&] { from_handle<nws::Workspace>(h).close(); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_wsFree(JNIEnv*, jclass, jlong h) {
  delete &from_handle<nws::Workspace>(h);
}

}  // extern "C"
