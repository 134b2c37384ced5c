// Shared JNI plumbing: handles, byte[] <-> std::string, errors, waits.
//
// Strings cross the boundary as byte[] holding UTF-8 (Java encodes and
// decodes with StandardCharsets.UTF_8): JNI's own string functions use
// "modified UTF-8", which splits characters outside the BMP in two.
//
// Every entry point runs its body through guarded(): a C++ exception never
// crosses into the JVM; nws::Error becomes the matching NwsException
// subclass (built by Native.error on the Java side), anything else a
// RuntimeException or OutOfMemoryError.
#pragma once

#include <jni.h>

#include <chrono>
#include <cstdint>
#include <new>
#include <string>
#include <string_view>

#include "nws/client.hpp"

namespace nws_jni {

// Classes and methods looked up once in JNI_OnLoad.
struct Cache {
  jclass native = nullptr;          // org.networkspaces.Native
  jmethodID error = nullptr;        // static Throwable error(int, byte[], int, byte[])
  jmethodID interrupted = nullptr;  // static boolean interrupted()
  jmethodID var_info = nullptr;     // static Object varInfo(byte[], long, long, long, byte[])
  jmethodID ws_info = nullptr;      // static Object wsInfo(boolean, byte[], byte[], boolean, long, byte[][])
  jclass object = nullptr;          // java.lang.Object
  jclass byte_array = nullptr;      // byte[]
};
const Cache& cache();

template <class T>
T& from_handle(jlong h) { return *reinterpret_cast<T*>(static_cast<std::intptr_t>(h)); }
template <class T>
jlong to_handle(T* p) { return static_cast<jlong>(reinterpret_cast<std::intptr_t>(p)); }

// A Java exception is already pending: unwind to the entry point.
struct JavaPending {};

std::string bytes_of(JNIEnv* env, jbyteArray a);   // null -> empty
jbyteArray to_java(JNIEnv* env, std::string_view s);
void throw_java(JNIEnv* env, const char* cls, const char* msg);
// Makes `e` the pending Java exception (an NwsException subclass).
void raise(JNIEnv* env, const nws::Error& e) noexcept;

// The Wait for a blocking call: `timeout_ns` < 0 waits for ever; every slice
// the calling thread's interrupt status is checked (Native.interrupted()).
nws::Wait make_wait(JNIEnv* env, jlong timeout_ns);

// Runs `body`; turns any C++ exception into a pending Java exception and
// then returns `fallback`.
template <class R, class F>
R guarded(JNIEnv* env, R fallback, F&& body) {
  try {
    return body();
  } catch (const JavaPending&) {
  } catch (const nws::Error& e) {
    raise(env, e);
  } catch (const std::bad_alloc&) {
    if (!env->ExceptionCheck()) throw_java(env, "java/lang/OutOfMemoryError", "nws: native allocation failed");
  } catch (const std::exception& e) {
    if (!env->ExceptionCheck()) throw_java(env, "java/lang/RuntimeException", e.what());
  } catch (...) {
    if (!env->ExceptionCheck()) throw_java(env, "java/lang/RuntimeException", "nws: unknown native error");
  }
  return fallback;
}

template <class F>
void guarded_void(JNIEnv* env, F&& body) {
  guarded(env, 0, [&] { body(); return 0; });
}

// A retrieved value for Java: the bytes, with the descriptor in out[0].
jbyteArray fetched_to_java(JNIEnv* env, const std::optional<nws::Fetched>& f, jlongArray descriptor_out);

}  // namespace nws_jni
