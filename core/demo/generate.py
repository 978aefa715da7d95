"""The row generator: one run at a time, straight to tuples in the store's column order.

No pydantic and no awaits on this path: it is called millions of times for `--scale`.
"""

from __future__ import annotations

import random

from .catalogue import (
    AGREEMENT_4711,
    CONNECTORS,
    EXTERNAL_4711,
    INTERNAL_4711,
    ServiceSpec,
    StreamSpec,
)
from .records import Pool, RunResult, Sink, err_body, ok_body, req_body
from .urls import Push, detail_url, header_variants, pull_url, token
from .wordings import (
    CANCELLED,
    FAILURES,
    INTERRUPTED,
    REQUIRED_FIELD,
    SINGULAR,
    SKIPS,
    USERS,
    completed,
    started,
)

CONCURRENCY = 8  # pushes in flight: an entity advances the clock by its calls' time / this


class Generator:
    def __init__(
        self,
        *,
        rng: random.Random,
        now: float,
        scale: float,
        calls_per_entity: float,
        connector_ids: dict[str, int],
        service_ids: dict[str, int],
        first_ids: dict[str, int],
    ) -> None:
        self.rng = rng
        self.now = now
        self.runs_factor = max(1, round(scale**0.5))
        self.records_factor = 0.5 * scale / self.runs_factor
        self.connector_ids = connector_ids
        self.service_ids = service_ids
        self.ids = dict(first_ids)
        self.sink = Sink()
        self.specs = {c.name: c for c in CONNECTORS}
        self.headers = {c.name: header_variants(c) for c in CONNECTORS}
        # calls per entity without extras is about 1.9 (lookup + write + retries)
        self.extra_calls = max(0.0, calls_per_entity - 1.9)
        self.pools: dict[tuple[str, str], Pool] = {}
        self.pushes: dict[tuple[str, str], Push] = {}

    # ---- ids and small helpers -------------------------------------------------------------

    def _id(self, table: str) -> int:
        v = self.ids[table]
        self.ids[table] = v + 1
        return v

    def pool(self, svc: ServiceSpec, stream: StreamSpec) -> Pool:
        key = (svc.name, stream.name)
        if key not in self.pools:
            dst = self.specs[svc.destination]
            push = Push(dst.base_url, stream.push_path, stream.int_style)
            self.pushes[key] = push
            n = max(2, int(stream.full_size * self.records_factor))
            pool = Pool(self.rng, stream, push, self.specs[svc.source].base_url, n)
            if stream.name == "companies" and svc.destination == "connectwise":
                pool.ext[0], pool.int[0], pool.name[0] = EXTERNAL_4711, INTERNAL_4711, "Contoso Ltd"
                pool.lookup[0] = push.lookup(EXTERNAL_4711)
                pool.update[0] = push.write("update", INTERNAL_4711)
                pool.delete[0] = push.write("delete", INTERNAL_4711)
                pool.detail[0] = detail_url(self.specs[svc.source].base_url, stream.pull, "4711")
            self.pools[key] = pool
        return self.pools[key]

    def log(
        self,
        ts: float,
        level: str,
        kind: str,
        title: str,
        details: str,
        connector: str | None,
        service: str | None = None,
        run_id: int | None = None,
        step_id: int | None = None,
        entity_id: int | None = None,
        code: str | None = None,
    ) -> None:
        self.sink.logs.append((
            self._id("log_events"), ts, level, kind, title, details,
            self.connector_ids.get(connector) if connector else None,
            self.service_ids.get(service) if service else None,
            run_id, step_id, entity_id, code,
        ))  # fmt: skip

    # ---- one run ---------------------------------------------------------------------------

    def run(
        self,
        svc: ServiceSpec,
        t0: float,
        *,
        sync_type: str,
        trigger: str,
        mode: str,
        size: str,
        failure: str | None = None,
        retry_of: int | None = None,
        retry_indices: dict[str, list[int]] | None = None,
        story_4711: str | None = None,
    ) -> RunResult:
        """mode: success | partial | failed | cancelled | interrupted | running | queued."""
        rng = self.rng
        run_id = self._id("runs")
        sid = self.service_ids[svc.name]
        c = dict(pulled=0, pushed=0, created=0, updated=0, skipped=0, failed=0, errors=0)
        failed_idx: dict[str, list[int]] = {}
        if mode == "queued":
            self.sink.runs.append((
                run_id, sid, sync_type, trigger, "queued", t0, None, 0, 0, 0, 0, 0, 0, 0, "",
                retry_of, None, None, t0, 0,
            ))  # fmt: skip
            return RunResult(run_id, "queued", t0, failed_idx)
        streams = svc.streams
        # where a run that does not finish stops: (step index, page index)
        stop_step = (
            rng.randrange(len(streams)) if mode in ("failed", "cancelled", "interrupted") else -1
        )
        fail_p = rng.uniform(0.02, 0.12) if mode == "partial" else 0.0
        if svc.destination in ("xero", "quickbooks"):
            self.log(t0, "INFO", "milestone", "Data sync started",
                     f"Data sync started: {sync_type} sync of {len(streams)} streams "
                     f"({trigger}).", svc.destination, svc.name, run_id)  # fmt: skip
        t = t0 + rng.uniform(0.05, 0.4)
        status = "success"
        message = ""
        deadline = self.now - 1 if mode == "running" else None
        for si, stream in enumerate(streams):
            pool = self.pool(svc, stream)
            npool = len(pool.ext)
            if retry_indices is not None:
                idxs = retry_indices.get(stream.name, [])
                if not idxs:
                    continue
            elif size == "full":
                idxs = list(range(npool))
            else:
                mean = stream.update_size * self.records_factor
                n = int(rng.uniform(0, 2 * mean) + 0.5)
                idxs = [rng.randrange(npool) for _ in range(n)]
                if story_4711 == "ok" and stream.name == "companies" and 0 not in idxs:
                    idxs.append(0)
            stop_page = -1
            pages = max(1, -(-len(idxs) // stream.pull.page_size))
            if si == stop_step:
                stop_page = rng.randrange(pages)
            res = self._step(svc, stream, pool, run_id, t, idxs, sync_type, fail_p, mode,
                             stop_page if si == stop_step else -1, failure, deadline,
                             story_4711, c)  # fmt: skip
            t = res[0]
            if res[1]:
                failed_idx[stream.name] = res[1]
            if res[2] != "success":
                status, message = res[2], res[3]
                break
        if status == "success" and c["failed"]:
            status = "partial"
            message = f"{c['failed']} of {c['pulled']} records failed."
        finished: float | None = t
        heartbeat = t
        if status == "interrupted":
            message = INTERRUPTED
            self.log(t + rng.uniform(60, 900), "WARNING", "event", "Sync interrupted",
                     f"Run #{run_id} was interrupted: {INTERRUPTED} It was marked interrupted "
                     "on the next start; nothing written before was lost.", svc.destination,
                     svc.name, run_id)  # fmt: skip
        elif status == "running":
            finished = None
            heartbeat = self.now - rng.uniform(0.5, 3)
        elif svc.destination in ("xero", "quickbooks") and status in ("success", "partial"):
            self.log(t, "INFO", "milestone", "Normalization complete",
                     f"Normalization complete: {c['pushed']} records pushed, {c['skipped']} "
                     f"skipped, {c['failed']} failed.", svc.destination, svc.name,
                     run_id)  # fmt: skip
        self.sink.runs.append((
            run_id, sid, sync_type, trigger, status, t0, finished, c["pulled"], c["pushed"],
            c["created"], c["updated"], c["skipped"], c["failed"], c["errors"], message, retry_of,
            None, None, heartbeat, 0,
        ))  # fmt: skip
        return RunResult(run_id, status, t, failed_idx)

    def _step(
        self,
        svc: ServiceSpec,
        stream: StreamSpec,
        pool: Pool,
        run_id: int,
        t: float,
        idxs: list[int],
        sync_type: str,
        fail_p: float,
        mode: str,
        stop_page: int,
        failure: str | None,
        deadline: float | None,
        story_4711: str | None,
        rc: dict[str, int],
    ) -> tuple[float, list[int], str, str]:
        """Returns (time, failed pool indices, step outcome, message)."""
        rng = self.rng
        rnd = rng.random
        sink = self.sink
        calls = sink.calls
        ents = sink.entities
        step_id = self._id("steps")
        t_start = t
        src, dst = svc.source, svc.destination
        src_id, dst_id = self.connector_ids[src], self.connector_ids[dst]
        src_base = self.specs[src].base_url
        src_host = src_base.split("/")[2]
        dst_host = self.specs[dst].base_url.split("/")[2]
        s_req, s_ok, s_429, s_err = self.headers[src]
        d_req, d_ok, d_429, d_err = self.headers[dst]
        push = self.pushes[(svc.name, stream.name)]
        capture = svc.capture_payloads
        label = stream.label
        reseller = svc.reseller_id if stream.name == "companies" else ""
        title, details = started(label, stream.unit, len(idxs), str(reseller), 6)
        self.log(t, "INFO", "milestone", title, details, dst, svc.name, run_id, step_id)
        size = stream.pull.page_size
        pages = max(1, -(-len(idxs) // size))
        # action thresholds: warn-skip, unchanged-skip, create, delete, else update
        if sync_type == "full":
            warn_p, unch, create, delete = 0.04, 0.45, 0.06, 0.015
        else:
            warn_p, unch, create, delete = 0.06, 0.05, 0.25, 0.03
        if mode == "failed" and failure is None:
            failure = rng.choice(svc.run_failures)
        t_unch = fail_p + warn_p + unch
        t_create = t_unch + create
        t_delete = t_create + delete
        warn_keys = stream.skips[1:]
        fail_keys = stream.fails
        extra = self.extra_calls
        extra_n = int(extra)
        extra_f = extra - extra_n
        singular = SINGULAR.get(label, label)
        req_field = REQUIRED_FIELD.get(stream.name, "email")
        n_proc = n_created = n_updated = n_skipped = n_failed = 0
        rate_limited = 0
        failed_idx: list[int] = []
        outcome, message = "success", ""
        headroom = rng.uniform(0.55, 1.0)
        tok = ""
        create_m, create_url = push.write("create", "")
        for page in range(pages):
            if deadline is not None and t > deadline:
                outcome, message = "running", ""
                break
            inst_id = self._id("instances")
            method, url, params = pull_url(src_base, stream.pull, page + 1, tok)
            chunk = idxs[page * size : (page + 1) * size]
            retries = 0
            headroom -= rng.uniform(0.0, 0.14)
            attempt = 1
            page_t = t
            if page == stop_page and mode == "failed":
                f = FAILURES[failure]
                host = dst_host if dst in ("autotask", "xero", "quickbooks") else src_host
                who = dst if host == dst_host else src
                msg = f.message.format(host=host, ext="", iid="", agr="", cmp="", sku="", name="")
                for a in range(1, f.attempts + 1):
                    dur = 30000 if f.status is None else rng.randint(80, 900)
                    calls.append((
                        self._id("api_calls"), run_id, step_id, inst_id, None,
                        self.connector_ids[who], method, url, params, f.status, dur, a,
                        msg if a == f.attempts else msg.split(":")[0], t,
                        s_req, s_429 if f.status == 429 else s_err,
                    ))  # fmt: skip
                    t += dur / 1000 + (10 if f.status == 429 else 2**a * 0.5)
                retries = f.attempts - 1
                sink.instances.append((inst_id, step_id, run_id, page + 1, method, url, tok or None,
                                       0, retries, max(0.0, headroom), f.status,
                                       int((t - page_t) * 1000), page_t))  # fmt: skip
                self.log(t, "ERROR", "event", f.title, msg, who, svc.name, run_id, step_id,
                         None, f.code)  # fmt: skip
                rc["errors"] += 1
                outcome, message = "failed", msg
                break
            if page == stop_page and mode in ("cancelled", "interrupted"):
                if mode == "cancelled":
                    message = CANCELLED.format(user=rng.choice(USERS), pages=page, total=pages)
                    self.log(t, "WARNING", "event", "Sync cancelled", message, dst, svc.name,
                             run_id, step_id)  # fmt: skip
                outcome = mode
                break
            if headroom < 0.06 or rnd() < 0.01:
                limited = headroom < 0.06
                dur = rng.randint(40, 200) if limited else rng.randint(2000, 9000)
                st = 429 if limited else 500
                err = ("429 Too Many Requests (Retry-After: 10 s)" if limited
                       else f"500 Internal Server Error from {src_host}")  # fmt: skip
                calls.append((self._id("api_calls"), run_id, step_id, inst_id, None, src_id,
                              method, url, params, st, dur, 1, err, t, s_req,
                              s_429 if limited else s_err))  # fmt: skip
                self.log(t, "WARNING", "event", "Rate limit reached" if limited else "Server error",
                         f"{err}; retrying page {page + 1} of {label.lower()} "
                         f"{'after 10 s' if limited else 'with backoff'}.", src, svc.name,
                         run_id, step_id, None, "http_429" if limited else "http_500")  # fmt: skip
                t += dur / 1000 + (10.0 if limited else rng.uniform(1, 4))
                retries, attempt = 1, 2
                rate_limited |= limited
                if limited:
                    headroom = rng.uniform(0.5, 0.95)
            dur = rng.randint(120, 1400)
            hv = s_ok[min(7, max(0, int(headroom * 8)))]
            calls.append((self._id("api_calls"), run_id, step_id, inst_id, None, src_id, method,
                          url, params, 200, dur, attempt, "", t, s_req, hv))  # fmt: skip
            t += dur / 1000
            sink.instances.append((inst_id, step_id, run_id, page + 1, method, url, tok or None,
                                   len(chunk), retries, round(max(0.0, headroom), 3), 200,
                                   int((t - page_t) * 1000), page_t))  # fmt: skip
            tok = token(rng, stream.pull.style)
            rc["pulled"] += len(chunk)
            for idx in chunk:
                if deadline is not None and t > deadline:
                    outcome = "running"
                    break
                eid = self._id("entities")
                ext = pool.ext[idx]
                iid: str | None = pool.int[idx]
                te = t
                r = rnd()
                forced = None
                if idx == 0 and stream.name == "companies":  # customer 4711: fails only once
                    forced = story_4711
                    r = -1.0 if forced == "fail" else max(r, t_delete)
                # every entity: a lookup on the destination
                m, u, p = pool.lookup[idx]
                dur = rng.randint(40, 380)
                calls.append((self._id("api_calls"), run_id, step_id, None, eid, dst_id, m, u, p,
                              200, dur, 1, "", te, d_req, d_ok[7]))  # fmt: skip
                te += dur / 1000
                n_extra = extra_n + (1 if rnd() < extra_f else 0)
                for _ in range(n_extra):
                    dur = rng.randint(30, 300)
                    calls.append((self._id("api_calls"), run_id, step_id, None, eid, src_id, "GET",
                                  pool.detail[idx], "{}", 200, dur, 1, "", te, s_req,
                                  s_ok[6]))  # fmt: skip
                    te += dur / 1000
                if r < fail_p:
                    key = "agreement_mismatch" if forced == "fail" else rng.choice(fail_keys)
                    f = FAILURES[key]
                    agr = AGREEMENT_4711 if forced == "fail" else str(rng.randrange(100, 9999))
                    msg = f.message.format(
                        ext=ext,
                        iid=iid,
                        agr=agr,
                        cmp=iid,
                        name=pool.name[idx],
                        host=dst_host,
                        sku=f"TDS-{ext[-5:].upper()}",
                    )
                    if f.status is not None or f.code == "timeout":
                        wm, wu = pool.update[idx] if rnd() < 0.7 else (create_m, create_url)
                        for a in range(1, f.attempts + 1):
                            dur = 30000 if f.status is None else rng.randint(60, 1500)
                            cid = self._id("api_calls")
                            calls.append((cid, run_id, step_id, None, eid, dst_id, wm, wu, "{}",
                                           f.status, dur, a, msg, te, d_req,
                                           d_err))  # fmt: skip
                            te += dur / 1000 + 0.5 * a
                        if capture:
                            sink.payloads.append((cid, te, req_body(ext, pool.name[idx], agr),
                                                  err_body(f.status, msg)))  # fmt: skip
                    self.log(te, "ERROR", "event", f.title, msg, dst, svc.name, run_id, step_id,
                             eid, f.code)  # fmt: skip
                    rc["errors"] += 1
                    ents.append(
                        (eid, step_id, run_id, inst_id, ext, iid, "fail", "failed", msg, te)
                    )
                    n_failed += 1
                    failed_idx.append(idx)
                elif r < t_unch:
                    if r < fail_p + warn_p and warn_keys:
                        sk = SKIPS[rng.choice(warn_keys)]
                        val = rng.choice(sk.values) if sk.values else ""
                        reason = sk.reason.format(field=req_field, value=val)
                        self.log(te, "WARNING", "event",
                                 (sk.title or "").format(singular=singular), reason, dst,
                                 svc.name, run_id, step_id, eid, sk.code)  # fmt: skip
                    else:
                        reason = "unchanged since last sync"
                    ents.append((eid, step_id, run_id, inst_id, ext, iid, "skip", "skipped",
                                 reason, te))  # fmt: skip
                    n_skipped += 1
                else:
                    if r < t_create:
                        action, wm, wu, st = "create", create_m, create_url, 201
                    elif r < t_delete:
                        action, (wm, wu), st = "delete", pool.delete[idx], 200
                    else:
                        action, (wm, wu), st = "update", pool.update[idx], 200
                    if rnd() < 0.004:  # a transient 429 on the write, then success
                        dur = rng.randint(20, 120)
                        calls.append((self._id("api_calls"), run_id, step_id, None, eid, dst_id,
                                      wm, wu, "{}", 429, dur, 1, "429 Too Many Requests", te,
                                      d_req, d_429))  # fmt: skip
                        te += dur / 1000 + 10
                        a = 2
                    else:
                        a = 1
                    dur = rng.randint(60, 900)
                    cid = self._id("api_calls")
                    calls.append((cid, run_id, step_id, None, eid, dst_id, wm, wu, "{}", st, dur,
                                  a, "", te, d_req, d_ok[rng.randrange(8)]))  # fmt: skip
                    te += dur / 1000
                    if capture and action != "delete" and rnd() < 0.15:
                        sink.payloads.append((cid, te, req_body(ext, pool.name[idx], ""),
                                              ok_body(iid, ext)))  # fmt: skip
                    ents.append((eid, step_id, run_id, inst_id, ext, iid, action, "success", "",
                                 te))  # fmt: skip
                    if action == "create":
                        n_created += 1
                    elif action == "update":
                        n_updated += 1
                    rc["pushed"] += 1
                n_proc += 1
                t += (te - t) / CONCURRENCY + 0.002
            if outcome == "running":
                break
        rc["created"] += n_created
        rc["updated"] += n_updated
        rc["skipped"] += n_skipped
        rc["failed"] += n_failed
        ms = int((t - t_start) * 1000)
        if outcome == "success":
            title, details = completed(label, n_created, n_updated, n_failed, ms)
            self.log(t, "INFO", "milestone", title, details, dst, svc.name, run_id, step_id)
            step_status = "partial" if n_failed else "success"
        else:
            step_status = outcome
        sink.steps.append((
            step_id, run_id, stream.name, step_status, t_start,
            None if outcome == "running" else t, n_proc, n_created, n_updated, n_skipped,
            n_failed, rate_limited, message,
        ))  # fmt: skip
        return t, failed_idx, outcome, message
