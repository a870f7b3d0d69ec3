package dev.ddlguard.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ddlguard.sql.QualifiedName;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A {@link ForwardingCatalog} passes every question of {@link Catalog} on, with its arguments, and its answer back. */
class ForwardingCatalogTest {

    @Test
    void everyQuestionIsPassedOnWithItsArgumentsAndItsAnswerComesBack() throws Exception {
        List<String> asked = new ArrayList<>();
        Catalog recorder = (Catalog) Proxy.newProxyInstance(
                Catalog.class.getClassLoader(), new Class<?>[] {Catalog.class}, (proxy, method, args) -> {
                    asked.add(method.getName() + Arrays.toString(args == null ? new Object[0] : args));
                    return answerFor(method.getReturnType());
                });
        Catalog forwarding = new ForwardingCatalog(recorder) {};

        List<String> expected = new ArrayList<>();
        for (Method question : Catalog.class.getMethods()) {
            if (Modifier.isStatic(question.getModifiers())) {
                continue;
            }
            Object[] args = new Object[question.getParameterCount()];
            for (int i = 0; i < args.length; i++) {
                args[i] = question.getParameterTypes()[i] == String.class ? "arg" + i : null;
            }
            Object returned = question.invoke(forwarding, args);
            assertThat(returned).as(question.getName()).isEqualTo(answerFor(question.getReturnType()));
            expected.add(question.getName() + Arrays.toString(args));
        }
        assertThat(asked).containsExactlyElementsOf(expected);
    }

    /** A distinct answer of each type a question returns. */
    private static Object answerFor(Class<?> type) {
        if (type == boolean.class || type == Boolean.class) {
            return Boolean.TRUE;
        }
        if (type == List.class) {
            return List.of("answer");
        }
        if (type == Set.class) {
            return Set.of("answer");
        }
        if (type == QualifiedName.class) {
            return QualifiedName.of("answer");
        }
        if (type == Catalog.TableSize.class) {
            return new Catalog.TableSize(1L, 2L, false);
        }
        if (type == FreeSpace.class) {
            return FreeSpace.UNKNOWN;
        }
        return "answer"; // String, and oncePerJudgement's T
    }
}
