// org.networkspaces.Native: the nws::Server entry points.
// A handle is a heap nws::Server; Java frees it (serverFree) from a Cleaner
// once no Java object refers to it, never while a call may be using it.
#include <jni.h>

#include "jni_util.hpp"

using namespace nws_jni;

namespace {

jobjectArray ws_rows(JNIEnv* env, const std::vector<nws::WsInfo>& rows) {
  jobjectArray out = env->NewObjectArray(static_cast<jsize>(rows.size()), cache().object, nullptr);
  if (!out) throw JavaPending{};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const nws::WsInfo& w = rows[i];
    jobjectArray names = env->NewObjectArray(static_cast<jsize>(w.variable_names.size()), cache().byte_array, nullptr);
    if (!names) throw JavaPending{};
    for (std::size_t j = 0; j < w.variable_names.size(); ++j) {
      jbyteArray n = to_java(env, w.variable_names[j]);
      env->SetObjectArrayElement(names, static_cast<jsize>(j), n);
      env->DeleteLocalRef(n);
    }
    jbyteArray name = to_java(env, w.name);
    jbyteArray owner = to_java(env, w.owner);
    jobject row = env->CallStaticObjectMethod(cache().native, cache().ws_info, static_cast<jboolean>(w.mine), name,
                                              owner, static_cast<jboolean>(w.persistent),
                                              static_cast<jlong>(w.variables), names);
    if (env->ExceptionCheck()) throw JavaPending{};
    env->SetObjectArrayElement(out, static_cast<jsize>(i), row);
    env->DeleteLocalRef(row);
    env->DeleteLocalRef(name);
    env->DeleteLocalRef(owner);
    env->DeleteLocalRef(names);
  }
  return out;
}

}  // namespace

extern "C" {

JNIEXPORT jlong JNICALL Java_org_networkspaces_Native_serverConnect(JNIEnv* env, jclass, jbyteArray host, jint port,
                                                                    jlong connect_timeout_ms) {
  return guarded(env, jlong{0}, [&] {
    if (port < 0 || port > 65535) throw nws::Error(nws::Errc::invalid_argument, "port must be 0..65535");
    nws::ConnectOptions o;
    o.host = bytes_of(env, host);
    o.port = static_cast<std::uint16_t>(port);
    if (connect_timeout_ms > 0) o.connect_timeout = std::chrono::milliseconds(connect_timeout_ms);
    return to_handle(new nws::Server(o));
  });
}

JNIEXPORT jlong JNICALL Java_org_networkspaces_Native_serverOpenWs(JNIEnv* env, jclass, jlong h, jbyteArray name,
                                                                   jboolean persistent, jboolean create, jboolean use) {
  return guarded(env, jlong{0}, [&] {
    nws::Server& s = from_handle<nws::Server>(h);
    const std::string n = bytes_of(env, name);
    nws::Workspace ws = use ? s.use_ws(n, create) : s.open_ws(n, persistent, create);
    return to_handle(new nws::Workspace(std::move(ws)));
  });
}

JNIEXPORT jbyteArray JNICALL Java_org_networkspaces_Native_serverMktempWs(JNIEnv* env, jclass, jlong h,
                                                                         jbyteArray tmpl) {
  return guarded(env, jbyteArray{}, [&] { return to_java(env, from_handle<nws::Server>(h).mktemp_ws(bytes_of(env, tmpl))); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_serverDeleteWs(JNIEnv* env, jclass, jlong h, jbyteArray name) {
  guarded_void(env, [&] { from_handle<nws::Server>(h).delete_ws(bytes_of(env, name)); });
}

JNIEXPORT jobjectArray JNICALL Java_org_networkspaces_Native_serverListWss(JNIEnv* env, jclass, jlong h,
                                                                          jbyteArray name) {
  return guarded(env, jobjectArray{}, [&] { return ws_rows(env, from_handle<nws::Server>(h).list_wss(bytes_of(env, name))); });
}

JNIEXPORT jint JNICALL Java_org_networkspaces_Native_serverPort(JNIEnv* env, jclass, jlong h) {
  return guarded(env, jint{0}, [&] { return static_cast<jint>(from_handle<nws::Server>(h).port()); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_serverClose(JNIEnv* env, jclass, jlong h) {
  guarded_void(env, [&] { from_handle<nws::Server>(h).close(); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_serverFree(JNIEnv*, jclass, jlong h) {
  delete &from_handle<nws::Server>(h);
}

}  // extern "C"
