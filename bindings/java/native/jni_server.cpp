// org.networkspaces.Native: the nws::Server entry points.
// A handle is a heap nws::Server; Java frees it (serverFree) from a Cleaner
// once no Java object refers to it, never while a call may be using it.
#include <jni.h>

#include "jni_listing.hpp"
#include "jni_util.hpp"

using namespace nws_jni;
using nws::args::NameOf;

extern "C" {

// ConnectOptions.connect.  host null, has_port false, has_timeout false, tls
// false and a null byte[] are options not given, so the core's defaults and
// the environment apply ($NWS_HOST, $NWS_PORT, else localhost:8765; 10 s;
// NWS_TLS, NWS_TLS_CA, ..., NWS_USER, NWS_PASSWORD, NWS_TOKEN).  The Java
// side has refused null, empty and NUL-holding strings the program gave.
JNIEXPORT jlong JNICALL Java_org_networkspaces_Native_serverConnect(
    JNIEnv* env, jclass, jbyteArray host, jboolean has_port, jint port, jboolean has_timeout, jdouble timeout_seconds,
    jboolean tls, jbyteArray tls_ca, jbyteArray tls_cert, jbyteArray tls_key, jbyteArray tls_server_name,
    jbyteArray user, jbyteArray password, jbyteArray token) {
  return guarded(env, jlong{0}, [&] {
    nws::ConnectOptions o;
    o.host = optional_bytes(env, host).value_or(std::string());
    if (has_port) o.port = nws::args::port(static_cast<double>(port), nws::args::PortUse::connect);
    o.connect_timeout =
        nws::args::connect_timeout(has_timeout ? std::optional<double>(timeout_seconds) : std::nullopt);
    o.tls.enabled = tls == JNI_TRUE;
    o.tls.ca_file = optional_bytes(env, tls_ca).value_or(std::string());
    o.tls.cert_file = optional_bytes(env, tls_cert).value_or(std::string());
    o.tls.key_file = optional_bytes(env, tls_key).value_or(std::string());
    o.tls.server_name = optional_bytes(env, tls_server_name).value_or(std::string());
    o.user = optional_bytes(env, user).value_or(std::string());
    o.password = optional_bytes(env, password).value_or(std::string());
    o.token = optional_bytes(env, token).value_or(std::string());
    return to_handle(new nws::Server(o));
  });
}

JNIEXPORT jlong JNICALL Java_org_networkspaces_Native_serverOpenWs(JNIEnv* env, jclass, jlong h, jbyteArray name,
                                                                   jboolean persistent, jboolean create, jboolean use) {
  return guarded(env, jlong{0}, [&] {
    nws::Server& s = from_handle<nws::Server>(h);
    const std::string n = name_of(env, name, NameOf::workspace);
    nws::Workspace ws = use ? s.use_ws(n, create) : s.open_ws(n, persistent, create);
    return to_handle(new nws::Workspace(std::move(ws)));
  });
}

JNIEXPORT jbyteArray JNICALL Java_org_networkspaces_Native_serverMktempWs(JNIEnv* env, jclass, jlong h,
                                                                         jbyteArray tmpl) {
  return guarded(env, jbyteArray{}, [&] {
    const std::string t = name_of(env, tmpl, NameOf::name_template);
    return to_java(env, from_handle<nws::Server>(h).mktemp_ws(t));
  });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_serverDeleteWs(JNIEnv* env, jclass, jlong h, jbyteArray name) {
  guarded_void(env, [&] { from_handle<nws::Server>(h).delete_ws(name_of(env, name, NameOf::workspace)); });
}

JNIEXPORT jobject JNICALL Java_org_networkspaces_Native_serverListWss(JNIEnv* env, jclass, jlong h) {
  return guarded(env, jobject{}, [&] { return to_java(env, from_handle<nws::Server>(h).list_wss()); });
}

JNIEXPORT jobject JNICALL Java_org_networkspaces_Native_serverListVars(JNIEnv* env, jclass, jlong h, jbyteArray ws) {
  return guarded(env, jobject{}, [&] {
    const std::string n = name_of(env, ws, NameOf::workspace);
    return to_java(env, from_handle<nws::Server>(h).list_vars(n));
  });
}

JNIEXPORT jbyteArray JNICALL Java_org_networkspaces_Native_serverHost(JNIEnv* env, jclass, jlong h) {
  return guarded(env, jbyteArray{}, [&] { return to_java(env, from_handle<nws::Server>(h).host()); });
}

JNIEXPORT jint JNICALL Java_org_networkspaces_Native_serverPort(JNIEnv* env, jclass, jlong h) {
  return guarded(env, jint{0}, [&] { return static_cast<jint>(from_handle<nws::Server>(h).port()); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_serverClose(JNIEnv* env, jclass, jlong h) {
  guarded_void(env, [&] { from_handle<nws::Server>(h).close(); });
}

JNIEXPORT jboolean JNICALL Java_org_networkspaces_Native_serverClosed(JNIEnv* env, jclass, jlong h) {
  return guarded(env, jboolean{JNI_TRUE}, [&] { return static_cast<jboolean>(from_handle<nws::Server>(h).closed()); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_serverFree(JNIEnv*, jclass, jlong h) {
  delete &from_handle<nws::Server>(h);
}

}  // extern "C"
