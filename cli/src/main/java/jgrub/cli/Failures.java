package jgrub.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Turns a failure into the one line a user reads: what went wrong and where, without a stack trace. */
final class Failures {

    private Failures() {
    }

    static String describe(Throwable failure) {
        if (failure instanceof NoSuchFileException e) {
            return e.getFile() + ": no such file";
        }
        if (failure instanceof AccessDeniedException e) {
            return e.getFile() + ": permission denied";
        }
        if (failure instanceof FileAlreadyExistsException e) {
            return e.getFile() + ": already exists (use --force to overwrite)";
        }
        if (failure instanceof NotDirectoryException e) {
            return e.getFile() + ": not a directory";
        }
        if (failure instanceof OutOfMemoryError) {
            return "out of memory (a size in the input is larger than this machine can hold)";
        }
        String message = failure.getMessage();
        boolean expected = !(failure instanceof RuntimeException) && !(failure instanceof Error);
        if (message == null || message.isBlank()) {
            message = failure.getClass().getSimpleName();
        }
        message = message.replace('\n', ' ').strip();
        return expected ? message : "internal error: " + failure.getClass().getSimpleName() + ": " + message;
    }
}
