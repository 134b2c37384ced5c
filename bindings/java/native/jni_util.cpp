#include "jni_util.hpp"

#include <limits>

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
}  // namespace

const Cache& cache() { return g_cache; }

std::string bytes_of(JNIEnv* env, jbyteArray a) {
  if (!a) return {};
  const jsize n = env->GetArrayLength(a);
  std::string s(static_cast<std::size_t>(n), '\0');
  env->GetByteArrayRegion(a, 0, n, reinterpret_cast<jbyte*>(s.data()));
  return s;
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

nws::Wait make_wait(JNIEnv* env, jlong timeout_ns) {
  nws::Wait w;
  if (timeout_ns >= 0) w.deadline = nws::Clock::now() + std::chrono::nanoseconds(timeout_ns);
  w.slice = std::chrono::milliseconds(20);
  // The client polls on the calling thread, so `env` is the right one.
  w.should_cancel = [env] {
    const jboolean flag = env->CallStaticBooleanMethod(cache().native, cache().interrupted);
    if (env->ExceptionCheck()) return true;  // guarded() leaves the Java exception pending
    return flag == JNI_TRUE;
  };
  return w;
}

jbyteArray fetched_to_java(JNIEnv* env, const std::optional<nws::Fetched>& f, jlongArray descriptor_out) {
  if (!f) return nullptr;
  const jlong d = static_cast<jlong>(f->value.descriptor);
  env->SetLongArrayRegion(descriptor_out, 0, 1, &d);
  return to_java(env, f->value.bytes);
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
  g_cache.var_info = env->GetStaticMethodID(g_cache.native, "varInfo", "([BJJJ[B)Ljava/lang/Object;");
  g_cache.ws_info = env->GetStaticMethodID(g_cache.native, "wsInfo", "(Z[B[BZJ[[B)Ljava/lang/Object;");
  if (!g_cache.error || !g_cache.interrupted || !g_cache.var_info || !g_cache.ws_info) return JNI_ERR;
  return JNI_VERSION_1_8;
}

extern "C" JNIEXPORT jbyteArray JNICALL Java_org_networkspaces_Native_languageName(JNIEnv* env, jclass, jint id) {
  return guarded(env, jbyteArray{}, [&] { return to_java(env, nws::language_name(static_cast<std::uint8_t>(id))); });
}
