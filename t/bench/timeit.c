/*
 * timeit COMMAND...: run COMMAND, then print on stderr one line
 * "TIMEIT wall=S user=S sys=S maxrss_kib=K" (wall clock, CPU time and peak
 * resident memory of the command, from wait4()).  Exits with its status.
 */

#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>


int
main(int argc, char **argv)
{
    int              status;
    pid_t            pid;
    struct rusage    ru;
    struct timespec  t0, t1;

    if (argc < 2) {
        fprintf(stderr, "usage: timeit COMMAND...\n");
        return 2;
    }

    clock_gettime(CLOCK_MONOTONIC, &t0);

    pid = fork();
    if (pid == 0) {
        execvp(argv[1], argv + 1);
        perror(argv[1]);
        _exit(127);
    }

    if (pid == -1 || wait4(pid, &status, 0, &ru) != pid) {
        perror("timeit");
        return 1;
    }

    clock_gettime(CLOCK_MONOTONIC, &t1);

    fprintf(stderr, "TIMEIT wall=%.3f user=%.3f sys=%.3f maxrss_kib=%ld\n",
            (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
            ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
            ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6,
            ru.ru_maxrss);

    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
