#include "jni_util.hpp"

#include <limits>

#include "jni_portable.hpp"
#include "nws/portable.hpp"

namespace nws_jni {
namespace {
Cache g_cache;

jclass global_class(JNIEnv* env, const char* name) {
  jclass local = env->FindClass(name);
  if (!local) return nullptr;
  auto global = static_cast<jclass>(env->NewGlobalRef(local));
  env->DeleteLocalRef(local);
  return global;
}

bool interrupted(JNIEnv* env) {
  const jboolean flag = env->CallStaticBooleanMethod(cache().native, cache().interrupted);
  if (env->ExceptionCheck()) throw JavaPending{};
  return flag == JNI_TRUE;
}
}  // namespace

const Cache& cache() { return g_cache; }

std::optional<std::string> optional_bytes(JNIEnv* env, jbyteArray a) {
  if (!a) return std::nullopt;
  const jsize n = env->GetArrayLength(a);
  std::string s(static_cast<std::size_t>(n), '\0');
  env->GetByteArrayRegion(a, 0, n, reinterpret_cast<jbyte*>(s.data()));
  return s;
}

std::string name_of(JNIEnv* env, jbyteArray a, nws::args::NameOf what) {
  const std::optional<std::string> s = optional_bytes(env, a);
  return nws::args::name(s ? std::optional<std::string_view>(*s) : std::nullopt, what);
}

jbyteArray to_java(JNIEnv* env, std::string_view s) {
  if (s.size() > static_cast<std::size_t>(std::numeric_limits<jsize>::max()))
    throw nws::Error(nws::Errc::invalid_argument, "value of " + std::to_string(s.size()) +
                                                      " bytes is too large for a Java byte[]");
  jbyteArray a = env->NewByteArray(static_cast<jsize>(s.size()));
  if (!a) throw JavaPending{};  // OutOfMemoryError pending
  env->SetByteArrayRegion(a, 0, static_cast<jsize>(s.size()), reinterpret_cast<const jbyte*>(s.data()));
  return a;
}

jobjectArray text_row(JNIEnv* env, std::initializer_list<std::string_view> cells) {
  jobjectArray row = env->NewObjectArray(static_cast<jsize>(cells.size()), cache().byte_array, nullptr);
  if (!row) throw JavaPending{};
  jsize i = 0;
  for (std::string_view cell : cells) {
    jbyteArray b = to_java(env, cell);
    env->SetObjectArrayElement(row, i++, b);
    env->DeleteLocalRef(b);
  }
  return row;
}

void throw_java(JNIEnv* env, const char* cls, const char* msg) {
  jclass c = env->FindClass(cls);
  if (c) env->ThrowNew(c, msg);
}

void raise(JNIEnv* env, const nws::Error& e) noexcept {
  if (env->ExceptionCheck()) return;  // a Java exception (from a callback) wins
  try {
    jbyteArray msg = to_java(env, e.what());
    jbyteArray reason = to_java(env, e.reason());
    jobject ex = env->CallStaticObjectMethod(cache().native, cache().error, static_cast<jint>(e.code()), msg,
                                             static_cast<jint>(e.status()), reason);
    if (!env->ExceptionCheck() && ex) env->Throw(static_cast<jthrowable>(ex));
  } catch (...) {
    if (!env->ExceptionCheck()) throw_java(env, "java/lang/RuntimeException", e.what());
  }
}

nws::Wait blocking_wait(JNIEnv* env, jboolean has_timeout, jdouble seconds, std::string_view what) {
  // The client polls the check on the calling thread, so `env` is the right
  // one.  A Java exception thrown by the check stays pending and wins over
  // the Errc::cancelled the core raises for it (see raise()).
  nws::Wait w = nws::args::wait(has_timeout ? std::optional<double>(seconds) : std::nullopt, [env] {
    const jboolean flag = env->CallStaticBooleanMethod(cache().native, cache().interrupted);
    return env->ExceptionCheck() || flag == JNI_TRUE;
  });
  // Blocking on a thread already interrupted would be cancelled within a
  // slice anyway; refusing it here sends nothing at all.
  if (interrupted(env))
    throw nws::Error(nws::Errc::cancelled, std::string(what) + " was not sent: the thread is interrupted");
  return w;
}

jobject fetched_to_java(JNIEnv* env, const std::optional<nws::Fetched>& f, jlongArray out, std::string_view ws,
                        std::string_view var, bool raw) {
  enum : jlong { nothing = 0 };  // Values.java's
  if (!f) {
    const jlong state = nothing;
    env->SetLongArrayRegion(out, 1, 1, &state);
    return nullptr;
  }
  return fetched_to_java(env, *f, out, ws, var, raw);
}

jobject fetched_to_java(JNIEnv* env, const nws::Fetched& f, jlongArray out, std::string_view ws,
                        std::string_view var, bool raw) {
  enum : jlong { bytes = 1, decoded = 2 };  // Values.java's
  const std::uint64_t descriptor = f.value.descriptor;
  const jlong head[2] = {static_cast<jlong>(descriptor),
                         raw || !nws::portable::is_portable(descriptor) ? bytes : decoded};
  env->SetLongArrayRegion(out, 0, 2, head);
  if (head[1] == bytes) return to_java(env, f.value.bytes);
  try {
    return portable_to_java(env, f.value.bytes);
  } catch (const nws::Error& e) {
    if (e.code() != nws::Errc::serialisation) throw;
    throw nws::Error(nws::Errc::serialisation,
                     nws::unreadable_value_message(ws, var, descriptor, nws::Language::java, e.what()));
  }
}

}  // namespace nws_jni

using namespace nws_jni;

extern "C" JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM* vm, void*) {
  JNIEnv* env = nullptr;
  if (vm->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
  g_cache.native = global_class(env, "org/networkspaces/Native");
  g_cache.object = global_class(env, "java/lang/Object");
  g_cache.byte_array = global_class(env, "[B");
  if (!g_cache.native || !g_cache.object || !g_cache.byte_array) return JNI_ERR;
  g_cache.error = env->GetStaticMethodID(g_cache.native, "error", "(I[BI[B)Ljava/lang/Throwable;");
  g_cache.interrupted = env->GetStaticMethodID(g_cache.native, "interrupted", "()Z");
  g_cache.keep_interrupt = env->GetStaticMethodID(g_cache.native, "keepInterrupt", "()V");
  g_cache.var_info = env->GetStaticMethodID(g_cache.native, "varInfo", "([BJJJ[B)Ljava/lang/Object;");
  g_cache.ws_info = env->GetStaticMethodID(g_cache.native, "wsInfo", "(Z[B[BZJ[[B)Ljava/lang/Object;");
  g_cache.listing = env->GetStaticMethodID(g_cache.native, "listing", "(Z[B[Ljava/lang/Object;)Ljava/lang/Object;");
  if (!g_cache.error || !g_cache.interrupted || !g_cache.keep_interrupt || !g_cache.var_info || !g_cache.ws_info ||
      !g_cache.listing || !init_portable_reader(env))
    return JNI_ERR;
  return JNI_VERSION_1_8;
}
