package dev.agentoperator.operator.testing;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.agentoperator.contract.runner.ApiError;
import dev.agentoperator.contract.runner.ApprovalDecision;
import dev.agentoperator.contract.runner.EventData;
import dev.agentoperator.contract.runner.EventList;
import dev.agentoperator.contract.runner.RunEvent;
import dev.agentoperator.contract.runner.RunList;
import dev.agentoperator.contract.runner.RunPhase;
import dev.agentoperator.contract.runner.RunSummary;
import dev.agentoperator.contract.runner.Usage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP server that implements {@code spec/runner-api.yaml} with scripted runs instead of a
 * model: tests start it where a sandbox pod's runner would listen and drive the whole operator
 * against it. Runs execute on virtual threads, emit gap-free events, wait for approvals, honour
 * cancel, and survive a {@link #crash()} and restart like a runner whose state lives on the PVC.
 */
public final class FakeRunner implements AutoCloseable {

  private static final Pattern RUN_PATH =
      Pattern.compile("^/v1/runs/([A-Za-z0-9-]{1,64})(/events|/cancel|/approvals)?$");
  /** Writes what the real runner writes: no null fields (the contract records leave them out). */
  private static final ObjectMapper JSON =
      new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

  private final String host;
  private final int port;
  private final Function<String, RunScript> scripts;
  private final Map<String, FakeRun> runs = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Long> firstStartNanos = new ConcurrentHashMap<>();
  private volatile String token;
  private volatile HttpServer server;
  private volatile String active;

  /** A runner for {@code host:port}; {@code scripts} picks a run's script from its prompt. */
  public FakeRunner(String host, int port, Function<String, RunScript> scripts) {
    this.host = host;
    this.port = port;
    this.scripts = scripts;
  }

  /** Starts serving with the token the pod was given (as the kubelet would start the runner). */
  public synchronized void start(String expectedToken) throws IOException {
    if (server != null) {
      return;
    }
    this.token = expectedToken;
    HttpServer created = HttpServer.create(new InetSocketAddress(host, port), 64);
    created.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    created.createContext("/", this::handle);
    created.start();
    server = created;
  }

  /** True while serving. */
  public boolean isServing() {
    return server != null;
  }

  /**
   * The pod died: the server stops and the active run stops where it is; its events and progress
   * stay (they live on the PVC), so a restarted runner can resume it.
   */
  public synchronized void crash() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
    String running = active;
    active = null;
    if (running != null) {
      runs.get(running).interrupt();
    }
  }

  @Override
  public void close() {
    crash();
    runs.values().forEach(FakeRun::interrupt);
  }

  /** Every request served, as {@code METHOD path} plus the body for writes, oldest first. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  /** {@link System#nanoTime()} when the first {@code PUT} of the run arrived, or null. */
  public Long firstStartNanos(String uid) {
    return firstStartNanos.get(uid);
  }

  /** The run with this uid, if the runner ever started it. */
  public FakeRun run(String uid) {
    return runs.get(uid);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      URI uri = exchange.getRequestURI();
      String path = uri.getPath();
      byte[] body = exchange.getRequestBody().readAllBytes();
      requests.add(
          method
              + " "
              + path
              + (body.length > 0 ? " " + new String(body, StandardCharsets.UTF_8) : ""));
      if (path.equals("/healthz") || path.equals("/readyz")) {
        send(exchange, 200, "ok");
        return;
      }
      if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        error(exchange, 401, "unauthorized");
        return;
      }
      if (path.equals("/v1/runs") && method.equals("GET")) {
        send(
            exchange,
            200,
            new RunList(
                active,
                runs.values().stream().map(r -> new RunList.Entry(r.uid, r.phase())).toList()));
        return;
      }
      Matcher matcher = RUN_PATH.matcher(path);
      if (!matcher.matches()) {
        error(exchange, 404, "no such path: " + path);
        return;
      }
      String uid = matcher.group(1);
      String sub = matcher.group(2) == null ? "" : matcher.group(2);
      switch (method + " " + sub) {
        case "PUT " -> start(exchange, uid, JSON.readTree(body));
        case "GET " -> withRun(exchange, uid, run -> send(exchange, 200, run.summary()));
        case "GET /events" -> withRun(exchange, uid, run -> events(exchange, run, uri.getQuery()));
        case "POST /cancel" ->
            withRun(
                exchange,
                uid,
                run -> {
                  run.cancel();
                  send(exchange, 202, run.summary());
                });
        case "POST /approvals" ->
            withRun(
                exchange,
                uid,
                run -> approve(exchange, run, JSON.readValue(body, ApprovalDecision.class)));
        default -> error(exchange, 404, "no such operation: " + method + " " + path);
      }
    } catch (RuntimeException e) {
      error(exchange, 500, e.toString());
    }
  }

  private synchronized void start(HttpExchange exchange, String uid, JsonNode request)
      throws IOException {
    firstStartNanos.putIfAbsent(uid, System.nanoTime());
    String prompt = request.path("prompt").asText("");
    if (prompt.isEmpty()) {
      error(exchange, 400, "prompt is required");
      return;
    }
    boolean resume = request.path("resume").asBoolean(false);
    FakeRun existing = runs.get(uid);
    if (existing != null && (uid.equals(active) || existing.isFinished() || !resume)) {
      send(exchange, 200, existing.summary());
      return;
    }
    if (active != null && !uid.equals(active)) {
      send(exchange, 409, new ApiError("another run is active", active));
      return;
    }
    FakeRun run = existing != null ? existing : new FakeRun(uid, scripts.apply(prompt), request);
    runs.put(uid, run);
    active = uid;
    run.launch(resume && existing != null, () -> finished(uid));
    send(exchange, 201, run.summary());
  }

  private synchronized void finished(String uid) {
    if (uid.equals(active)) {
      active = null;
    }
  }

  private void events(HttpExchange exchange, FakeRun run, String query) throws IOException {
    Map<String, String> params = new LinkedHashMap<>();
    if (query != null) {
      for (String pair : query.split("&")) {
        String[] kv = pair.split("=", 2);
        params.put(kv[0], kv.length > 1 ? kv[1] : "");
      }
    }
    long after = Long.parseLong(params.getOrDefault("after", "0"));
    int wait = Integer.parseInt(params.getOrDefault("wait", "0"));
    int limit = Integer.parseInt(params.getOrDefault("limit", "200"));
    List<RunEvent> page = run.awaitEvents(after, wait, limit);
    send(exchange, 200, new EventList(page, run.lastSeq(), run.phase()));
  }

  private void approve(HttpExchange exchange, FakeRun run, ApprovalDecision decision)
      throws IOException {
    String outcome = run.answer(decision.id(), decision.decision(), decision.by());
    switch (outcome) {
      case "ok" -> send(exchange, 200, run.summary());
      case "unknown" -> error(exchange, 404, "no pending approval " + decision.id());
      default -> error(exchange, 409, "approval already answered differently");
    }
  }

  private void withRun(HttpExchange exchange, String uid, IoConsumer<FakeRun> action)
      throws IOException {
    FakeRun run = runs.get(uid);
    if (run == null) {
      error(exchange, 404, "no run " + uid);
      return;
    }
    action.accept(run);
  }

  private interface IoConsumer<T> {
    void accept(T value) throws IOException;
  }

  private static void error(HttpExchange exchange, int status, String message) throws IOException {
    send(exchange, status, ApiError.of(message));
  }

  private static void send(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes =
        body instanceof String text
            ? text.getBytes(StandardCharsets.UTF_8)
            : JSON.writeValueAsBytes(body);
    exchange
        .getResponseHeaders()
        .set("Content-Type", body instanceof String ? "text/plain" : "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** One scripted run: its progress, events and the thread that plays it. */
  public static final class FakeRun {
    private final String uid;
    private final RunScript script;
    private final JsonNode request;
    private final List<RunEvent> events = new ArrayList<>();
    private final Map<String, String> answers = new LinkedHashMap<>();
    private final Map<String, String> answeredBy = new LinkedHashMap<>();
    private final List<RunSummary.PendingApproval> pending = new ArrayList<>();
    private RunPhase phase = RunPhase.Running;
    private String reason;
    private String message;
    private int steps;
    private int toolCalls;
    private long input;
    private long output;
    private int snapshots;
    private String result;
    private int attempts;
    private boolean cancelRequested;
    private Thread thread;

    FakeRun(String uid, RunScript script, JsonNode request) {
      this.uid = uid;
      this.script = script;
      this.request = request;
    }

    /** The request the runner was started with (the latest one on resume). */
    public JsonNode request() {
      return request;
    }

    /** How many times the run was started or resumed. */
    public synchronized int attempts() {
      return attempts;
    }

    /** The run's phase as the runner reports it. */
    public synchronized String phase() {
      return phase.name();
    }

    synchronized boolean isFinished() {
      return phase.isFinal();
    }

    synchronized long lastSeq() {
      return events.size();
    }

    synchronized void launch(boolean resumed, Runnable onEnd) {
      attempts++;
      phase = RunPhase.Running;
      emit(new EventData.RunStarted(resumed, null, null, steps, attempts));
      thread =
          Thread.ofVirtual()
              .name("fake-run-" + uid)
              .start(
                  () -> {
                    try {
                      play();
                    } catch (InterruptedException e) {
                      // the pod died: progress stays as it is, like a checkpoint on the PVC
                    } finally {
                      onEnd.run();
                    }
                  });
    }

    synchronized void interrupt() {
      if (thread != null) {
        thread.interrupt();
      }
    }

    private void play() throws InterruptedException {
      while (true) {
        int step;
        synchronized (this) {
          if (cancelRequested) {
            end(RunPhase.Cancelled, "Cancelled", "cancelled by the operator");
            emit(EventData.ended(phase, reason, message, steps, toolCalls, usage()));
            return;
          }
          if (steps >= script.steps()) {
            end(RunPhase.Succeeded, "Completed", "the agent answered");
            result = script.result();
            emit(EventData.RunSucceeded.of(reason, message, steps, toolCalls, usage(), result));
            return;
          }
          step = steps + 1;
          emit(new EventData.StepStarted(step));
        }
        Thread.sleep(script.stepDelay());
        synchronized (this) {
          if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
          }
          if (script.approvalAtStep() != null && script.approvalAtStep() == step) {
            awaitApproval(step);
          }
          steps = step;
          input += script.inputTokensPerStep();
          output += script.outputTokensPerStep();
          emit(
              new EventData.LlmCompleted(
                  step,
                  5,
                  script.inputTokensPerStep(),
                  script.outputTokensPerStep(),
                  script.inputTokensPerStep() + script.outputTokensPerStep(),
                  false,
                  "tool_calls",
                  script.toolCallsPerStep(),
                  input + output,
                  ""));
          for (int call = 1; call <= script.toolCallsPerStep(); call++) {
            toolCalls++;
            String callId = "call-" + step + "-" + call;
            String command = "echo step " + step;
            emit(new EventData.ToolCalled(step, callId, "shell", command));
            emit(
                new EventData.ToolResult(
                    step, callId, "shell", command, false, 5, null, null, "exit 0"));
          }
          if (script.snapshotEachStep()) {
            snapshots++;
            emit(new EventData.SnapshotCreated(step, commitFor(snapshots), null, snapshots, null));
          }
        }
      }
    }

    private void awaitApproval(int step) throws InterruptedException {
      String id = "approval-" + step;
      if (answers.containsKey(id)) {
        return;
      }
      String summary = "git push origin main";
      pending.add(
          new RunSummary.PendingApproval(id, "shell", summary, Instant.now().toString()));
      phase = RunPhase.AwaitingApproval;
      emit(
          new EventData.ApprovalRequired(
              step, "call-" + step + "-approval", "shell", "git push origin main", id, summary));
      while (!answers.containsKey(id) && !cancelRequested) {
        wait();
      }
      pending.clear();
      if (!cancelRequested) {
        phase = RunPhase.Running;
        emit(new EventData.ApprovalResolved(id, answers.get(id), null, answeredBy.get(id)));
      }
    }

    synchronized String answer(String id, String decision, String by) {
      if (answers.containsKey(id)) {
        return answers.get(id).equals(decision) ? "ok" : "conflict";
      }
      if (pending.stream().noneMatch(p -> p.id().equals(id))) {
        return "unknown";
      }
      answers.put(id, decision);
      if (by != null) {
        answeredBy.put(id, by);
      }
      notifyAll();
      return "ok";
    }

    synchronized void cancel() {
      if (!isFinished()) {
        cancelRequested = true;
        notifyAll();
      }
    }

    private void end(RunPhase endPhase, String endReason, String endMessage) {
      phase = endPhase;
      reason = endReason;
      message = endMessage;
    }

    private static String commitFor(int count) {
      return String.format("%040x", count);
    }

    private Usage usage() {
      return Usage.of(input, output);
    }

    private void emit(EventData data) {
      events.add(
          new RunEvent(
              events.size() + 1L, data.type(), Instant.now(), uid, EventData.toJson(data)));
      notifyAll();
    }

    synchronized List<RunEvent> awaitEvents(long after, int waitSeconds, int limit) {
      long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
      try {
        while (events.size() <= after && System.nanoTime() < deadline) {
          long remainingMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
          wait(remainingMs);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      int from = (int) Math.min(after, events.size());
      return List.copyOf(events.subList(from, Math.min(events.size(), from + limit)));
    }

    synchronized RunSummary summary() {
      return new RunSummary(
          uid,
          phase.name(),
          reason,
          message,
          steps,
          toolCalls,
          usage(),
          List.copyOf(pending),
          snapshots > 0 ? new RunSummary.Snapshot(commitFor(snapshots), snapshots) : null,
          result != null ? new RunSummary.Result(result, false) : null,
          events.size(),
          null,
          null,
          false,
          null,
          null,
          List.of());
    }
  }
}
