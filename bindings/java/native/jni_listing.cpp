#include "jni_listing.hpp"

#include "jni_util.hpp"

namespace nws_jni {
namespace {

// A local reference that is deleted when it goes out of scope: a listing
// may have more rows than the JVM's default local-reference capacity.
struct Local {
  JNIEnv* env;
  jobject ref;
  ~Local() {
    if (ref) env->DeleteLocalRef(ref);
  }
};

jobject row_of(JNIEnv* env, const nws::VarInfo& v) {
  Local name{env, to_java(env, v.name)};
  Local mode{env, to_java(env, v.mode)};
  jobject row = env->CallStaticObjectMethod(cache().native, cache().var_info, name.ref, static_cast<jlong>(v.values),
                                            static_cast<jlong>(v.fetchers), static_cast<jlong>(v.finders), mode.ref);
  if (env->ExceptionCheck()) throw JavaPending{};
  return row;
}

jobject row_of(JNIEnv* env, const nws::WsInfo& w) {
  Local names{env, env->NewObjectArray(static_cast<jsize>(w.variable_names.size()), cache().byte_array, nullptr)};
  if (!names.ref) throw JavaPending{};
  for (std::size_t j = 0; j < w.variable_names.size(); ++j) {
    Local n{env, to_java(env, w.variable_names[j])};
    env->SetObjectArrayElement(static_cast<jobjectArray>(names.ref), static_cast<jsize>(j), n.ref);
  }
  Local name{env, to_java(env, w.name)};
  Local owner{env, to_java(env, w.owner)};
  jobject row = env->CallStaticObjectMethod(cache().native, cache().ws_info, static_cast<jboolean>(w.mine), name.ref,
                                            owner.ref, static_cast<jboolean>(w.persistent),
                                            static_cast<jlong>(w.variables), names.ref);
  if (env->ExceptionCheck()) throw JavaPending{};
  return row;
}

template <class Listing>
jobject listing_of(JNIEnv* env, const Listing& l, bool vars) {
  Local rows{env, env->NewObjectArray(static_cast<jsize>(l.rows.size()), cache().object, nullptr)};
  if (!rows.ref) throw JavaPending{};
  for (std::size_t i = 0; i < l.rows.size(); ++i) {
    Local row{env, row_of(env, l.rows[i])};
    env->SetObjectArrayElement(static_cast<jobjectArray>(rows.ref), static_cast<jsize>(i), row.ref);
  }
  Local text{env, to_java(env, l.text)};
  jobject out = env->CallStaticObjectMethod(cache().native, cache().listing, static_cast<jboolean>(vars), text.ref,
                                            rows.ref);
  if (env->ExceptionCheck()) throw JavaPending{};
  return out;
}

}  // namespace

jobject to_java(JNIEnv* env, const nws::VarListing& listing) { return listing_of(env, listing, true); }
jobject to_java(JNIEnv* env, const nws::WsListing& listing) { return listing_of(env, listing, false); }

}  // namespace nws_jni
