package org.networkspaces.sleigh;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A function named {@code package.Class#method} on a Java worker: the
 * class's public static methods of that name, and the call that converts
 * portable arguments (docs/values.md's Java column) to a method's
 * parameters.  Integers (Long) become {@code int}, {@code long},
 * {@code short}, {@code byte} or their boxes when they fit, and
 * {@code double}/{@code float} when the parameter is floating; reals (Double)
 * {@code double} or {@code float}; lists and vectors go to a {@code List},
 * an array of a matching element type, or {@code Object}.  The first method
 * (by declaration) whose parameters all accept the arguments is called;
 * when none does, the error names the class, the method, the arity and the
 * arguments' types.
 */
final class NamedFunction {
    private final String name;
    private final List<Method> candidates;

    private NamedFunction(String name, List<Method> candidates) {
        this.name = name;
        this.candidates = candidates;
    }

    /** Resolves {@code name} through {@code loader}; an exception saying what is missing. */
    static NamedFunction resolve(String name, ClassLoader loader) throws ClassNotFoundException, NoSuchMethodException {
        int hash = name.indexOf('#');
        if (hash <= 0 || hash == name.length() - 1)
            throw new IllegalArgumentException("'" + name + "' is not a Java function name: write it as package.Class#method");
        String className = name.substring(0, hash);
        String methodName = name.substring(hash + 1);
        Class<?> cls;
        try {
            cls = Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new ClassNotFoundException("the class " + className + " of " + name
                    + " is not on this worker's class path (" + System.getProperty("java.class.path") + ")", e);
        }
        List<Method> found = new ArrayList<>();
        for (Method m : cls.getMethods()) {
            if (m.getName().equals(methodName) && Modifier.isStatic(m.getModifiers())) found.add(m);
        }
        if (found.isEmpty())
            throw new NoSuchMethodException(className + " has no public static method " + methodName);
        found.sort((a, b) -> Integer.compare(a.getParameterCount(), b.getParameterCount()));
        return new NamedFunction(name, List.copyOf(found));
    }

    /** Calls the first method whose parameters take {@code args}; what it throws, unwrapped. */
    Object call(List<?> args) throws Exception {
        for (Method m : candidates) {
            if (m.getParameterCount() != args.size()) continue;
            Object[] converted = convertAll(m.getParameterTypes(), args);
            if (converted == null) continue;
            try {
                return m.invoke(null, converted);
            } catch (InvocationTargetException e) {
                Throwable t = e.getCause();
                if (t instanceof Exception ex) throw ex;
                if (t instanceof Error err) throw err;
                throw e;
            }
        }
        throw new IllegalArgumentException("no public static method " + name + " takes " + args.size()
                + " argument" + (args.size() == 1 ? "" : "s") + " of types (" + typesOf(args) + "); there "
                + (candidates.size() == 1 ? "is " : "are ")
                + candidates.stream().map(NamedFunction::signature).collect(Collectors.joining(", ")));
    }

    private static Object[] convertAll(Class<?>[] types, List<?> args) {
        if (types.length != args.size()) return null;
        Object[] out = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Object v = convert(types[i], args.get(i));
            if (v == NO) return null;
            out[i] = v;
        }
        return out;
    }

    /** A marker: the value does not fit the type. */
    private static final Object NO = new Object();

    static Object convert(Class<?> type, Object v) {
        if (v == null) return type.isPrimitive() ? NO : null;
        if (type.isInstance(v)) return v;
        Class<?> t = type.isPrimitive() ? box(type) : type;
        if (t.isInstance(v)) return v;
        if (v instanceof Long l) {
            if (t == Integer.class) return l == l.intValue() ? (Object) l.intValue() : NO;
            if (t == Short.class) return l == l.shortValue() ? (Object) l.shortValue() : NO;
            if (t == Byte.class) return l == l.byteValue() ? (Object) l.byteValue() : NO;
            if (t == Double.class) return (double) l;
            if (t == Float.class) return (float) l;
            if (t == Number.class) return l;
            return NO;
        }
        if (v instanceof Double d) {
            if (t == Float.class) return d.floatValue();
            return NO;
        }
        if (type.isArray()) return toArray(type.getComponentType(), v);
        if (List.class.isAssignableFrom(type) && v.getClass().isArray()) return toList(v);
        if (type == Map.class && v instanceof Map<?, ?>) return v;
        return NO;
    }

    private static Object toArray(Class<?> component, Object v) {
        List<?> items = v instanceof List<?> l ? l : v.getClass().isArray() ? toList(v) : null;
        if (items == null) return NO;
        Object out = Array.newInstance(component, items.size());
        for (int i = 0; i < items.size(); i++) {
            Object c = convert(component, items.get(i));
            if (c == NO) return NO;
            Array.set(out, i, c);
        }
        return out;
    }

    private static List<Object> toList(Object array) {
        int n = Array.getLength(array);
        List<Object> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(Array.get(array, i));
        return out;
    }

    private static Class<?> box(Class<?> p) {
        if (p == int.class) return Integer.class;
        if (p == long.class) return Long.class;
        if (p == double.class) return Double.class;
        if (p == float.class) return Float.class;
        if (p == boolean.class) return Boolean.class;
        if (p == short.class) return Short.class;
        if (p == byte.class) return Byte.class;
        if (p == char.class) return Character.class;
        return Void.class;
    }

    private static String typesOf(List<?> args) {
        return args.stream().map(a -> a == null ? "null" : a.getClass().getSimpleName()).collect(Collectors.joining(", "));
    }

    private static String signature(Method m) {
        return m.getDeclaringClass().getSimpleName() + "." + m.getName() + "("
                + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", ")) + ")";
    }
}
