// org.networkspaces.Native: the nws::portable::Writer entry points.
// PortableWriter.java decides what each Java value is and calls these in
// the Writer's order; the Writer checks that order, the UTF-8 and the
// limits, so a mistake is an Errc::serialisation here, never bad bytes.
// Packed arrays go from the Java array into the Writer's slot with one
// memcpy; wsStorePortable stores the finished bytes without a Java copy.
#include <jni.h>

#include <cstring>

#include "jni_portable.hpp"
#include "jni_util.hpp"
#include "nws/portable.hpp"

using namespace nws_jni;
using nws::portable::Element;
using nws::portable::Writer;

namespace {

Writer& writer(jlong h) { return from_handle<Writer>(h); }

std::size_t count(jint n) {
  if (n < 0) throw nws::Error(nws::Errc::invalid_argument, "a negative count");
  return static_cast<std::size_t>(n);
}

// One packed vector: `array` is the Java array whose element matches
// `type`; `missing` (or null) the bitmap PortableWriter built from nulls.
void packed(JNIEnv* env, jlong h, Element type, jarray array, jbyteArray missing) {
  const std::size_t n = static_cast<std::size_t>(env->GetArrayLength(array));
  const std::size_t bitmap = (n + 7) / 8;
  if (missing && static_cast<std::size_t>(env->GetArrayLength(missing)) != bitmap)
    throw nws::Error(nws::Errc::invalid_argument, "a missing-value bitmap of the wrong length");
  const Writer::Slot slot = writer(h).vector_slot(type, n, missing != nullptr);
  if (missing) env->GetByteArrayRegion(missing, 0, static_cast<jsize>(bitmap), reinterpret_cast<jbyte*>(slot.missing));
  if (n == 0) return;
  const Critical data(env, array);
  std::memcpy(slot.data, data.data(), n * nws::portable::element_width(type));
}

template <class F>
void with_bytes(JNIEnv* env, jbyteArray a, F&& use) {
  if (!a) throw nws::Error(nws::Errc::invalid_argument, "a null string");
  const Critical c(env, a);
  use(c.bytes());
}

}  // namespace

extern "C" {

JNIEXPORT jlong JNICALL Java_org_networkspaces_Native_pwNew(JNIEnv* env, jclass) {
  return guarded(env, jlong{0}, [] { return to_handle(new Writer()); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_pwFree(JNIEnv*, jclass, jlong h) { delete &writer(h); }

JNIEXPORT void JNICALL Java_org_networkspaces_Native_pwNull(JNIEnv* env, jclass, jlong h) {
  guarded_void(env, [&] { writer(h).null(); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_pwBoolean(JNIEnv* env, jclass, jlong h, jboolean v) {
  guarded_void(env, [&] { writer(h).boolean(v == JNI_TRUE); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_pwInteger(JNIEnv* env, jclass, jlong h, jlong v) {
  guarded_void(env, [&] { writer(h).integer(v); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_pwReal(JNIEnv* env, jclass, jlong h, jdouble v) {
  guarded_void(env, [&] { writer(h).real(v); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_pwTimestamp(JNIEnv* env, jclass, jlong h, jlong ns) {
  guarded_void(env, [&] { writer(h).timestamp(ns); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_pwString(JNIEnv* env, jclass, jlong h, jbyteArray utf8) {
  guarded_void(env, [&] { with_bytes(env, utf8, [&](std::string_view s) { writer(h).string(s); }); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_pwBytes(JNIEnv* env, jclass, jlong h, jbyteArray data) {
  guarded_void(env, [&] { with_bytes(env, data, [&](std::string_view s) { writer(h).bytes(s); }); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_pwKey(JNIEnv* env, jclass, jlong h, jbyteArray utf8) {
  guarded_void(env, [&] { with_bytes(env, utf8, [&](std::string_view s) { writer(h).key(s); }); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_pwList(JNIEnv* env, jclass, jlong h, jint n) {
  guarded_void(env, [&] { writer(h).list(count(n)); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_pwMap(JNIEnv* env, jclass, jlong h, jint n) {
  guarded_void(env, [&] { writer(h).map(count(n)); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_pwStringVector(JNIEnv* env, jclass, jlong h, jint n) {
  guarded_void(env, [&] { writer(h).string_vector(count(n)); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_pwTable(JNIEnv* env, jclass, jlong h, jint columns, jint rows) {
  guarded_void(env, [&] { writer(h).table(count(columns), count(rows)); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_pwDoubles(JNIEnv* env, jclass, jlong h, jdoubleArray a,
                                                               jbyteArray missing) {
  guarded_void(env, [&] { packed(env, h, Element::float64, a, missing); });
}

// timestamps: the longs are nanoseconds since the epoch (an Instant[]).
JNIEXPORT void JNICALL Java_org_networkspaces_Native_pwLongs(JNIEnv* env, jclass, jlong h, jlongArray a,
                                                             jboolean timestamps, jbyteArray missing) {
  guarded_void(env, [&] { packed(env, h, timestamps ? Element::timestamp : Element::int64, a, missing); });
}

JNIEXPORT void JNICALL Java_org_networkspaces_Native_pwInts(JNIEnv* env, jclass, jlong h, jintArray a,
                                                            jbyteArray missing) {
  guarded_void(env, [&] { packed(env, h, Element::int32, a, missing); });
}

// A Java boolean is one byte, 0 or 1: the portable boolean element as is.
JNIEXPORT void JNICALL Java_org_networkspaces_Native_pwBooleans(JNIEnv* env, jclass, jlong h, jbooleanArray a,
                                                                jbyteArray missing) {
  guarded_void(env, [&] { packed(env, h, Element::boolean, a, missing); });
}

// Finishes the writer's value: its portable bytes (Portable.encode).
JNIEXPORT jbyteArray JNICALL Java_org_networkspaces_Native_pwFinish(JNIEnv* env, jclass, jlong h) {
  return guarded(env, jbyteArray{}, [&] { return to_java(env, writer(h).finish()); });
}

// Finishes the writer's value and stores it as Java's portable value.
JNIEXPORT void JNICALL Java_org_networkspaces_Native_wsStorePortable(JNIEnv* env, jclass, jlong ws, jbyteArray var,
                                                                     jlong h) {
  guarded_void(env, [&] {
    const std::string v = name_of(env, var, nws::args::NameOf::variable);
    const std::string bytes = writer(h).finish();
    from_handle<nws::Workspace>(ws).store(v, nws::portable::descriptor_for(nws::Language::java), bytes);
  });
}

}  // extern "C"
