// org.networkspaces.Native: the core's tables and messages as the running
// library has them.  The generated Java classes (Errc, the exceptions,
// Mode, Tables) come from the same .def files at build time; the tests
// compare the two, so a class that does not match its row is caught.
#include <jni.h>

#include <span>
#include <string>

#include "jni_util.hpp"
#include "nws/mode.hpp"
#include "nws/value.hpp"
#include "nws/version.hpp"

using namespace nws_jni;

namespace {

using RowMaker = jobjectArray (*)(JNIEnv*);

jobjectArray rows_to_java(JNIEnv* env, std::span<const RowMaker> rows) {
  jobjectArray out = env->NewObjectArray(static_cast<jsize>(rows.size()), cache().object, nullptr);
  if (!out) throw JavaPending{};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    jobjectArray row = rows[i](env);
    env->SetObjectArrayElement(out, static_cast<jsize>(i), row);
    env->DeleteLocalRef(row);
  }
  return out;
}

}  // namespace

extern "C" {

JNIEXPORT jbyteArray JNICALL Java_org_networkspaces_Native_version(JNIEnv* env, jclass) {
  return guarded(env, jbyteArray{}, [&] { return to_java(env, nws::version()); });
}

// Rows {id, code (-1: a group), parent ("none": the root), Kind, name, description}.
JNIEXPORT jobjectArray JNICALL Java_org_networkspaces_Native_errorKinds(JNIEnv* env, jclass) {
  return guarded(env, jobjectArray{}, [&] {
    const auto kinds = nws::error_kinds();
    jobjectArray out = env->NewObjectArray(static_cast<jsize>(kinds.size()), cache().object, nullptr);
    if (!out) throw JavaPending{};
    for (std::size_t i = 0; i < kinds.size(); ++i) {
      const nws::ErrorKind& k = kinds[i];
      const std::string code = std::to_string(k.code);
      jobjectArray row = text_row(env, {k.id, code, k.parent, k.kind, k.name, k.description});
      env->SetObjectArrayElement(out, static_cast<jsize>(i), row);
      env->DeleteLocalRef(row);
    }
    return out;
  });
}

// Rows {id, number, display name, nws::language_name(number)} of values.def.
JNIEXPORT jobjectArray JNICALL Java_org_networkspaces_Native_languages(JNIEnv* env, jclass) {
  return guarded(env, jobjectArray{}, [&] {
    static const RowMaker rows[] = {
#define NWS_LANGUAGE(id, number, display)                                               \
  [](JNIEnv* e) {                                                                       \
    return text_row(e, {#id, std::to_string(number), display, nws::language_name(number)}); \
  },
#include "nws/values.def"
    };
    return rows_to_java(env, rows);
  });
}

// Rows {id, value} of the descriptor bits: each flag's mask, each field's
// shift (id_shift) and mask (id_mask), as nws::descriptor has them.
JNIEXPORT jobjectArray JNICALL Java_org_networkspaces_Native_descriptorBits(JNIEnv* env, jclass) {
  return guarded(env, jobjectArray{}, [&] {
    static const RowMaker rows[] = {
#define NWS_DESCRIPTOR_FLAG(id, mask, description) \
  [](JNIEnv* e) { return text_row(e, {#id, std::to_string(nws::descriptor::id)}); },
#define NWS_DESCRIPTOR_FIELD(id, shift, width, description)                                   \
  [](JNIEnv* e) { return text_row(e, {#id "_shift", std::to_string(nws::descriptor::id##_shift)}); }, \
  [](JNIEnv* e) { return text_row(e, {#id "_mask", std::to_string(nws::descriptor::id##_mask)}); },
#include "nws/values.def"
    };
    return rows_to_java(env, rows);
  });
}

// Rows {wire name, "standard" or ""} of nws::all_modes().
JNIEXPORT jobjectArray JNICALL Java_org_networkspaces_Native_modes(JNIEnv* env, jclass) {
  return guarded(env, jobjectArray{}, [&] {
    const auto modes = nws::all_modes();
    jobjectArray out = env->NewObjectArray(static_cast<jsize>(modes.size()), cache().object, nullptr);
    if (!out) throw JavaPending{};
    for (std::size_t i = 0; i < modes.size(); ++i) {
      jobjectArray row = text_row(env, {nws::mode_name(modes[i]), nws::standard(modes[i]) ? "standard" : ""});
      env->SetObjectArrayElement(out, static_cast<jsize>(i), row);
      env->DeleteLocalRef(row);
    }
    return out;
  });
}

// The message of Errc::serialisation for a value Java cannot read.
JNIEXPORT jbyteArray JNICALL Java_org_networkspaces_Native_unreadableValueMessage(JNIEnv* env, jclass, jbyteArray ws,
                                                                                jbyteArray var, jlong descriptor,
                                                                                jbyteArray why) {
  return guarded(env, jbyteArray{}, [&] {
    const std::string w = optional_bytes(env, ws).value_or(std::string());
    const std::string v = optional_bytes(env, var).value_or(std::string());
    const std::string y = optional_bytes(env, why).value_or(std::string());
    return to_java(env, nws::unreadable_value_message(w, v, static_cast<std::uint64_t>(descriptor),
                                                      nws::Language::java, y));
  });
}

}  // extern "C"
