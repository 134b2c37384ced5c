// Shared JNI plumbing: handles, byte[] <-> std::string, errors, waits.
//
// Strings cross the boundary as byte[] holding UTF-8 (Java encodes and
// decodes with StandardCharsets.UTF_8): JNI's own string functions use
// "modified UTF-8", which splits characters outside the BMP in two.
//
// Every entry point runs its body through guarded(): a C++ exception never
// crosses into the JVM; nws::Error becomes the NwsException subclass of its
// kind (built by Native.error from the kind's code), anything else a
// RuntimeException or OutOfMemoryError.
//
// Arguments go through nws/args.hpp, the rules every binding shares, before
// anything is sent: a Java null arrives here as a null byte[] and becomes
// std::nullopt, which the core refuses with its own message.
#pragma once

#include <jni.h>

#include <cstdint>
#include <new>
#include <optional>
#include <string>
#include <string_view>

#include "nws/client.hpp"

namespace nws_jni {

// Classes and methods looked up once in JNI_OnLoad.
struct Cache {
  jclass native = nullptr;             // org.networkspaces.Native
  jmethodID error = nullptr;           // static Throwable error(int, byte[], int, byte[])
  jmethodID interrupted = nullptr;     // static boolean interrupted()
  jmethodID keep_interrupt = nullptr;  // static void keepInterrupt()
  jmethodID var_info = nullptr;        // static Object varInfo(byte[], long, long, long, byte[])
  jmethodID ws_info = nullptr;         // static Object wsInfo(boolean, byte[], byte[], boolean, long, byte[][])
  jmethodID listing = nullptr;         // static Object listing(boolean, byte[], Object[])
  jclass object = nullptr;             // java.lang.Object
  jclass byte_array = nullptr;         // byte[]
};
const Cache& cache();

template <class T>
T& from_handle(jlong h) { return *reinterpret_cast<T*>(static_cast<std::intptr_t>(h)); }
template <class T>
jlong to_handle(T* p) { return static_cast<jlong>(reinterpret_cast<std::intptr_t>(p)); }

// A Java exception is already pending: unwind to the entry point.
struct JavaPending {};

// A byte[] as bytes; a null array is "not given" (std::nullopt).
std::optional<std::string> optional_bytes(JNIEnv* env, jbyteArray a);
// A name argument: null is refused by nws::args::name.
std::string name_of(JNIEnv* env, jbyteArray a, nws::args::NameOf what);
jbyteArray to_java(JNIEnv* env, std::string_view s);
// Rows of text for Java (Object[] of byte[][]): the tables' tests read them.
jobjectArray text_row(JNIEnv* env, std::initializer_list<std::string_view> cells);
void throw_java(JNIEnv* env, const char* cls, const char* msg);
// Makes `e` the pending Java exception (an NwsException subclass).
void raise(JNIEnv* env, const nws::Error& e) noexcept;

// The Wait of a blocking call, built by nws::args::wait from the timeout in
// seconds (has_timeout false: for ever), its cancel check being the calling
// thread's interrupt status.  A thread that is interrupted already gets
// Errc::cancelled here: nothing is sent.  `what` names the call for that
// message ("fetch 'x'").
nws::Wait blocking_wait(JNIEnv* env, jboolean has_timeout, jdouble seconds, std::string_view what);

// Runs a blocking call.  If it was interrupted after its value had arrived
// (Errc::cancelled with arrived()), the value is its result and the thread's
// interrupt status stays set: Java's idiom, so neither is lost.
template <class F>
nws::Fetched keeping_arrived(JNIEnv* env, F&& call) {
  try {
    return call();
  } catch (const nws::Error& e) {
    if (e.code() != nws::Errc::cancelled || !e.arrived() || env->ExceptionCheck()) throw;
    env->CallStaticVoidMethod(cache().native, cache().keep_interrupt);
    if (env->ExceptionCheck()) throw JavaPending{};
    return *e.arrived();
  }
}

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

// A retrieved value for Java.  out[0] gets its descriptor and out[1] what
// the result is (Values.java's NOTHING, BYTES, DECODED): nothing (a Try
// verb found no value: null), the bytes for Values.decode, or, for a
// portable value unless `raw`, the Java value decoded from it here (which
// may be null), so a packed vector is copied once.  A portable value that
// does not decode is Errc::serialisation naming `var` in workspace `ws`.
jobject fetched_to_java(JNIEnv* env, const std::optional<nws::Fetched>& f, jlongArray out, std::string_view ws,
                        std::string_view var, bool raw = false);
// The same for a value that is there (a Lease's, which keeps it: no copy).
jobject fetched_to_java(JNIEnv* env, const nws::Fetched& f, jlongArray out, std::string_view ws,
                        std::string_view var, bool raw = false);

}  // namespace nws_jni
