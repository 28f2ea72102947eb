package dev.rtpe.common;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One of the engine's Flink jobs. {@code main} runs it on whatever cluster {@code flink run} gives
 * it; the local runner builds several into one local cluster.
 */
public interface EngineJob {
    /** The job name shown in the Flink Web UI. */
    String name();

    JobSettings settings();

    /** Adds this job's sources, operators and sinks to {@code env}. */
    void build(StreamExecutionEnvironment env);

    /** Builds and runs the job in the environment of the current context (a cluster, or local). */
    default void run() throws Exception {
        StreamExecutionEnvironment env = settings().createEnvironment();
        build(env);
        env.execute(name());
    }
}
