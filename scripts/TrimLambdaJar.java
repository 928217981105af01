import java.io.IOException;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.CodeElement;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.NestHostAttribute;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.lang.classfile.instruction.ConstantInstruction;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.NewObjectInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDesc;
import java.lang.constant.DirectMethodHandleDesc;
import java.lang.constant.MethodTypeDesc;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Removes from a function's shaded jar the AWS SDK model, marshaller, paginator and waiter classes that the function's
 * code can never load (most of the S3, DynamoDB and SQS models), which keeps every artifact within 15 MB.
 *
 * <p>A generated client (DefaultS3AsyncClient, ...) names the classes of every operation, so a class-level analysis
 * such as shade's minimizeJar keeps them all. Here a service class is <em>active</em>, and everything its code names
 * is followed, only when kept code creates it, calls a static or super member of it, or a subclass is active; a class
 * that kept code only names (a cast, an instanceof, a parameter type) stays as a file, since the JVM loads it there,
 * but what it names is not followed. The clients are read method by method: an operation's method is followed only
 * when kept code calls that operation; its request class stays as a file (the verifier loads it). Everything outside
 * the services' model, transform, paginators and waiters packages stays and is followed. Before the jar is replaced,
 * each client class is initialised from the trimmed jar alone (which verifies every method); a class that this misses
 * is kept and the check runs again.
 *
 * <p>Usage: java scripts/TrimLambdaJar.java JAR (each function module's package phase runs it after shade).
 */
public final class TrimLambdaJar {

    private static final Pattern SERVICE_CLASS =
            Pattern.compile("software/amazon/awssdk/services/[a-z0-9]+/(model|transform|paginators|waiters)/.+");
    private static final Pattern CLIENT_CLASS = Pattern.compile("software/amazon/awssdk/services/[a-z0-9]+/\\w*Client");
    private static final Pattern MODEL_REQUEST = Pattern.compile("software/amazon/awssdk/services/[a-z0-9]+/model/\\w+Request");
    private static final Pattern CLASS_IN_DESCRIPTOR = Pattern.compile("L([\\w/$]+);");
    private static final Pattern LAMBDA = Pattern.compile("lambda\\$(\\w+)\\$\\d+");

    private final Map<String, ClassModel> classes = new HashMap<>();
    private final Set<String> present = new HashSet<>();
    private final Set<String> active = new HashSet<>();
    private final Set<String> usedOperations = new HashSet<>();
    private final Deque<String> pending = new ArrayDeque<>();

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Map<String, byte[]> entries = read(jar);
        TrimLambdaJar trim = new TrimLambdaJar(entries);
        Set<String> dropped = trim.droppable();
        Path trimmed = jar.resolveSibling(jar.getFileName() + ".trimmed");
        Set<String> clients = new TreeSet<>(trim.classes.keySet());
        clients.removeIf(c -> !CLIENT_CLASS.matcher(c).matches());
        int checks = 0;
        while (true) {
            checks++;
            write(entries, dropped, trimmed);
            String missing = missingForClients(trimmed, clients);
            if (missing == null) {
                break;
            }
            if (!dropped.remove(missing + ".class")) {
                throw new IllegalStateException(jar + ": a client needs " + missing + ", which the jar lacks");
            }
        }
        long before = Files.size(jar);
        Files.move(trimmed, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("%s: %d SDK classes the function cannot load removed, %.1f MB -> %.1f MB (%d checks)%n",
                jar.getFileName(), dropped.size(), before / 1e6, Files.size(jar) / 1e6, checks);
    }

    private TrimLambdaJar(Map<String, byte[]> entries) {
        entries.forEach((name, bytes) -> {
            if (name.endsWith(".class") && !name.startsWith("META-INF/")) {
                classes.put(name.substring(0, name.length() - ".class".length()), ClassFile.of().parse(bytes));
            }
        });
    }

    /** The entries (NAME.class) of the service classes that no kept code can load. */
    private Set<String> droppable() {
        for (String name : classes.keySet()) {
            if (CLIENT_CLASS.matcher(name).matches()) {
                present(name);
            } else if (!SERVICE_CLASS.matcher(name).matches()) {
                activate(name);
            } else if (MODEL_REQUEST.matcher(name).matches()) {
                present(name);
            }
        }
        // A client's operation is followed once some kept code calls it; repeat until nothing new turns up.
        int before;
        do {
            before = active.size() + present.size() + usedOperations.size();
            drain();
            classes.keySet().stream().filter(c -> CLIENT_CLASS.matcher(c).matches()).forEach(this::followClient);
            drain();
        } while (active.size() + present.size() + usedOperations.size() != before);
        Set<String> dropped = new TreeSet<>();
        for (String name : classes.keySet()) {
            if (!present.contains(name) && SERVICE_CLASS.matcher(name).matches()) {
                dropped.add(name + ".class");
            }
        }
        return dropped;
    }

    /** The class file stays: the JVM may load it (its supertypes and nest host too) without running its code. */
    private void present(String name) {
        ClassModel model = classes.get(name);
        if (model == null || !present.add(name)) {
            return;
        }
        model.superclass().ifPresent(c -> present(c.asInternalName()));
        model.interfaces().forEach(c -> present(c.asInternalName()));
        model.findAttribute(java.lang.classfile.Attributes.nestHost())
                .map(NestHostAttribute::nestHost).ifPresent(c -> present(c.asInternalName()));
    }

    /** The class's code may run: follow everything it names (clients are followed method by method instead). */
    private void activate(String name) {
        ClassModel model = classes.get(name);
        if (model == null || CLIENT_CLASS.matcher(name).matches() || !active.add(name)) {
            return;
        }
        present(name);
        model.superclass().ifPresent(c -> activate(c.asInternalName()));
        model.interfaces().forEach(c -> activate(c.asInternalName()));
        pending.add(name);
    }

    private void drain() {
        while (!pending.isEmpty()) {
            ClassModel model = classes.get(pending.poll());
            for (PoolEntry entry : model.constantPool()) {
                if (entry instanceof ClassEntry c) {
                    presentNamed(c.asInternalName());
                } else if (entry instanceof Utf8Entry utf8) {
                    presentDescribed(utf8.stringValue());
                }
            }
            model.methods().forEach(this::follow);
        }
    }

    /** A client's header, every method that is not an operation, and the operations that kept code calls. */
    private void followClient(String client) {
        ClassModel model = classes.get(client);
        model.superclass().ifPresent(c -> activate(c.asInternalName()));
        model.interfaces().forEach(c -> activate(c.asInternalName()));
        model.fields().forEach(f -> presentDescribed(f.fieldType().stringValue()));
        Set<String> operations = new HashSet<>();
        for (MethodModel method : model.methods()) {
            if (method.methodType().stringValue().contains("/model/")) {
                operations.add(method.methodName().stringValue());
            }
        }
        for (MethodModel method : model.methods()) {
            String name = method.methodName().stringValue();
            Matcher lambda = LAMBDA.matcher(name);
            String operation = lambda.matches() ? lambda.group(1) : name;
            if (!operations.contains(operation) || usedOperations.contains(operation)) {
                presentDescribed(method.methodType().stringValue());
                follow(method);
            }
        }
    }

    /** What a method's code creates, initialises or calls statically becomes active; what it otherwise names, present. */
    private void follow(MethodModel method) {
        method.code().ifPresent(code -> {
            for (CodeElement element : code) {
                switch (element) {
                    case InvokeInstruction i -> {
                        String owner = i.owner().asInternalName();
                        presentNamed(owner);
                        presentDescribed(i.type().stringValue());
                        switch (i.opcode()) {
                            case INVOKESTATIC, INVOKESPECIAL -> activate(owner);
                            default -> {
                            }
                        }
                        if (CLIENT_CLASS.matcher(owner).matches()) {
                            usedOperations.add(i.name().stringValue());
                        }
                    }
                    case FieldInstruction f -> {
                        presentNamed(f.owner().asInternalName());
                        presentDescribed(f.type().stringValue());
                        switch (f.opcode()) {
                            case GETSTATIC, PUTSTATIC -> activate(f.owner().asInternalName());
                            default -> {
                            }
                        }
                    }
                    case NewObjectInstruction n -> activate(n.className().asInternalName());
                    case InvokeDynamicInstruction d -> {
                        presentDescribed(d.typeSymbol().descriptorString());
                        d.bootstrapArgs().forEach(this::activateConstant);
                    }
                    case ConstantInstruction c -> activateConstant(c.constantValue());
                    default -> {
                    }
                }
            }
        });
    }

    /** A class literal, method type or method handle: reflection or a lambda may use it. */
    private void activateConstant(ConstantDesc constant) {
        switch (constant) {
            case ClassDesc c -> activateDescribed(c.descriptorString());
            case MethodTypeDesc t -> presentDescribed(t.descriptorString());
            case DirectMethodHandleDesc h -> {
                activateDescribed(h.owner().descriptorString());
                presentDescribed(h.lookupDescriptor());
                if (CLIENT_CLASS.matcher(h.owner().descriptorString()).find()) {
                    usedOperations.add(h.methodName());
                }
            }
            default -> {
            }
        }
    }

    private void presentNamed(String name) {
        if (name.startsWith("[")) {
            presentDescribed(name);
        } else {
            present(name);
        }
    }

    private void presentDescribed(String text) {
        Matcher m = CLASS_IN_DESCRIPTOR.matcher(text);
        while (m.find()) {
            present(m.group(1));
        }
    }

    private void activateDescribed(String text) {
        Matcher m = CLASS_IN_DESCRIPTOR.matcher(text);
        while (m.find()) {
            activate(m.group(1));
        }
    }

    /** Initialises each client class from the jar alone; the first class its verification misses, if any. */
    private static String missingForClients(Path jar, Set<String> clients) throws IOException {
        // The jar's SLF4J, which finds no binding, would say so on every run.
        java.io.PrintStream stderr = System.err;
        System.setErr(new java.io.PrintStream(OutputStream.nullOutputStream()));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            for (String client : clients) {
                try {
                    Class.forName(client.replace('/', '.'), true, loader);
                } catch (NoClassDefFoundError e) {
                    return e.getMessage().replace('.', '/');
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(client + " cannot be loaded from " + jar, e);
                }
            }
        } finally {
            System.setErr(stderr);
        }
        return null;
    }

    private static Map<String, byte[]> read(Path jar) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), in.readAllBytes());
            }
        }
        return entries;
    }

    private static void write(Map<String, byte[]> entries, Set<String> dropped, Path target) throws IOException {
        try (OutputStream file = Files.newOutputStream(target); ZipOutputStream out = new ZipOutputStream(file)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                if (!dropped.contains(entry.getKey())) {
                    out.putNextEntry(new ZipEntry(entry.getKey()));
                    out.write(entry.getValue());
                    out.closeEntry();
                }
            }
        }
    }
}
