// Command loadgen sends requests at a fixed rate to a server on loopback, for a bounded time, and prints throughput
// and latency percentiles. Latency is measured from each request's scheduled send time, so a server that falls
// behind cannot hide its queueing (no coordinated omission). Two kinds of request:
//
//	go run ./benchmarks/loadgen -project prj-… -api-key rlk_… -rate 2000 -seconds 30    # decisions
//	go run ./benchmarks/loadgen -endpoint opt-outs -admin-password … -rate 200 -seconds 30
//
// The second registers a global opt-out for a new synthetic person per request (staff API, one idempotency key
// each), so every request is a durable append to the ledger. With -ramp N the rate first rises evenly from 0 over N
// seconds, reported apart (a node just started, brought into rotation gradually). With -window N, each N seconds of the
// run is also reported apart (a node restarted while the load runs). Two more, for several nodes:
//
//	go run ./benchmarks/loadgen -project prj-… -api-key rlk_… -workers 16 -seconds 20         # closed loop: the most decisions/s
//	go run ./benchmarks/loadgen -endpoint lag -url http://127.0.0.1:8081 -read-url http://127.0.0.1:8082 \
//	    -project prj-… -admin-password … -rate 20 -seconds 30
//
// The FHIR Consent Registry, as a data holder asks it about one person (a search on the person's NIR, for a project):
//
//	go run ./benchmarks/loadgen -endpoint fhir -project prj-… -api-key rlk_… -person <NIR> -rate 500 -seconds 30
//	go run ./benchmarks/loadgen -endpoint fhir -project prj-… -api-key rlk_… -person <NIR> -workers 8 -seconds 20
//
// The lag endpoint writes an opt-out on one node and, as soon as it is acknowledged, asks another node for a decision at the
// receipt's tree size (which waits until that node has read it): the time between is the cross-node lag, plus one
// request; the same decision asked again at once gives that request's own time.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	target := flag.String("url", "http://127.0.0.1:8080", "server base URL (loopback only)")
	project := flag.String("project", "", "project id")
	apiKey := flag.String("api-key", "", "data holder API key")
	rate := flag.Int("rate", 2000, "requests per second")
	seconds := flag.Int("seconds", 30, "duration")
	endpoint := flag.String("endpoint", "decisions", "decisions (data holder key), opt-outs (staff password), "+
		"fhir (Consent searches: data holder key, -person) or lag")
	person := flag.String("person", "", "for -endpoint fhir: the NIR searched")
	adminPassword := flag.String("admin-password", "", "the admin account's password, for -endpoint opt-outs and lag")
	readURL := flag.String("read-url", "", "for -endpoint lag: the node asked for the decision")
	workers := flag.Int("workers", 0, "decisions in a closed loop with this many clients, instead of a fixed rate")
	ramp := flag.Int("ramp", 0, "seconds, before -seconds at -rate, over which the rate rises evenly from 0 to -rate "+
		"(as a load balancer brings a restarted node into rotation); reported apart")
	window := flag.Int("window", 0, "seconds: also report each window of this many seconds apart, by when its "+
		"requests were due (a node restarted during the run)")
	flag.Parse()

	u, err := url.Parse(*target)
	if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost") {
		fmt.Fprintln(os.Stderr, "loadgen only targets a server on loopback")
		os.Exit(2)
	}
	if *rate < 1 || *seconds < 1 || *ramp < 0 || *window < 0 ||
		((*ramp > 0 || *window > 0) && (*workers > 0 || *endpoint == "lag")) {
		fmt.Fprintln(os.Stderr, "-rate and -seconds must be at least 1, -ramp and -window at least 0 "+
			"(neither with -workers or lag)")
		os.Exit(2)
	}
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64},
	}
	if *workers > 0 {
		closedLoop(client, *target, *endpoint, *project, *apiKey, *person, *workers, *seconds)
		return
	}
	if *endpoint == "lag" {
		r, err := url.Parse(*readURL)
		if err != nil || (r.Hostname() != "127.0.0.1" && r.Hostname() != "localhost") {
			fmt.Fprintln(os.Stderr, "-read-url must be a server on loopback")
			os.Exit(2)
		}
		lag(client, *target, *readURL, *project, *adminPassword, *rate, *seconds)
		return
	}
	s := schedule{rate: float64(*rate), ramp: float64(*ramp)}
	ramped := s.inRamp()
	total := ramped + *rate**seconds
	latencies := make([]time.Duration, total)
	failed := make([]bool, total)
	var wg sync.WaitGroup
	run := time.Now().UnixNano() % 1_000_000 * 1_000
	start := time.Now().Add(100 * time.Millisecond)
	for i := 0; i < total; {
		// send everything due now, then nap briefly: sleeping per request would add the timer's granularity
		due := s.dueBy(time.Since(start).Seconds())
		if due <= i {
			time.Sleep(100 * time.Microsecond)
			continue
		}
		for ; i < due && i < total; i++ {
			scheduled := start.Add(time.Duration(s.at(i) * float64(time.Second)))
			wg.Add(1)
			go func(i int, scheduled time.Time) {
				defer wg.Done()
				var req *http.Request
				want := http.StatusOK
				if *endpoint == "fhir" {
					req = fhirSearch(*target, *project, *apiKey, *person)
				} else if *endpoint == "opt-outs" {
					body := fmt.Sprintf(`{"person":"%s","scope":{"type":"GLOBAL"},"channel":"POST","idempotencyKey":"load-%d-%d"}`,
						nir(run+int64(i)), run, i)
					req, _ = http.NewRequest(http.MethodPost, *target+"/api/v1/opt-outs", bytes.NewBufferString(body))
					req.SetBasicAuth("admin", *adminPassword)
					want = http.StatusCreated
				} else {
					body := fmt.Sprintf(`{"person":"%016x%016x","projectId":"%s"}`, uint64(i)*0x9E3779B97F4A7C15, i, *project)
					req, _ = http.NewRequest(http.MethodPost, *target+"/api/v1/decisions", bytes.NewBufferString(body))
					req.Header.Set("X-Api-Key", *apiKey)
				}
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					failed[i] = true
				} else {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					failed[i] = resp.StatusCode != want
				}
				latencies[i] = time.Since(scheduled)
			}(i, scheduled)
		}
	}
	wg.Wait()
	elapsed := time.Since(start).Seconds() - s.ramp
	if ramped > 0 {
		fmt.Printf("ramp: %d requests over %d s, rising to %d/s: ", ramped, *ramp, *rate)
		report(latencies[:ramped], failed[:ramped])
	}
	fmt.Printf("%d requests at %d/s for %d s: %.0f completed/s, ", total-ramped, *rate, *seconds,
		float64(total-ramped)/elapsed)
	report(latencies[ramped:], failed[ramped:])
	if *window > 0 {
		for _, w := range s.windows(total, float64(*window)) {
			fmt.Printf("due %d-%d s: %d requests, ", w.from, w.to, w.last-w.first)
			report(latencies[w.first:w.last], failed[w.first:w.last])
		}
	}
}

// window is the requests [first, last) due from `from` to `to` seconds after the start.
type window struct{ from, to, first, last int }

// windows cuts the run's total requests into consecutive windows of size seconds each, by when they were due.
func (s schedule) windows(total int, size float64) []window {
	var out []window
	first := 0
	for from := 0.0; first < total; from += size {
		last := first
		for last < total && s.at(last) < from+size {
			last++
		}
		if last > first {
			out = append(out, window{int(from), int(from + size), first, last})
		}
		first = last
	}
	return out
}

// schedule is when each request is due: over ramp seconds the rate rises evenly from 0 to rate, then stays there.
type schedule struct{ rate, ramp float64 }

// inRamp is how many requests are due before the ramp ends (what half its time at the full rate would send).
func (s schedule) inRamp() int {
	return int(math.Ceil(s.rate * s.ramp / 2))
}

// dueBy is how many requests are due t seconds after the start (the first at 0).
func (s schedule) dueBy(t float64) int {
	if t < 0 {
		return 0
	}
	if t < s.ramp {
		return int(s.rate*t*t/(2*s.ramp)) + 1
	}
	return int(s.rate*s.ramp/2+s.rate*(t-s.ramp)) + 1
}

// at is when request i is due, in seconds after the start.
func (s schedule) at(i int) float64 {
	if i < s.inRamp() {
		return math.Sqrt(2 * s.ramp * float64(i) / s.rate)
	}
	return s.ramp + (float64(i)-s.rate*s.ramp/2)/s.rate
}

// report prints how many of these requests failed and their latency percentiles.
func report(latencies []time.Duration, failed []bool) {
	failures := 0
	for _, f := range failed {
		if f {
			failures++
		}
	}
	sorted := append([]time.Duration(nil), latencies...)
	sort.Slice(sorted, func(a, b int) bool { return sorted[a] < sorted[b] })
	pct := func(p float64) time.Duration { return sorted[int(float64(len(sorted)-1)*p)] }
	fmt.Printf("%d failed\n", failures)
	fmt.Printf("latency from scheduled send: p50 %v, p99 %v, p99.9 %v, max %v\n",
		pct(0.50), pct(0.99), pct(0.999), sorted[len(sorted)-1])
}

// fhirSearch is a data holder's Consent search for one person and one project.
func fhirSearch(target, project, apiKey, person string) *http.Request {
	q := url.Values{}
	q.Set("patient:identifier", "urn:oid:1.2.250.1.213.1.4.8|"+person)
	q.Set("project", project)
	req, _ := http.NewRequest(http.MethodGet, target+"/fhir/Consent?"+q.Encode(), nil)
	req.Header.Set("X-Api-Key", apiKey)
	req.Header.Set("Accept", "application/fhir+json")
	return req
}

// closedLoop sends decisions (or FHIR searches) from a fixed number of clients, each sending its next as soon as it
// has its answer.
func closedLoop(client *http.Client, target, endpoint, project, apiKey, person string, workers, seconds int) {
	var done, failures int64
	var wg sync.WaitGroup
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	start := time.Now()
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				var req *http.Request
				if endpoint == "fhir" {
					req = fhirSearch(target, project, apiKey, person)
				} else {
					n := uint64(w)<<32 | uint64(i)
					body := fmt.Sprintf(`{"person":"%016x%016x","projectId":"%s"}`, n*0x9E3779B97F4A7C15, n, project)
					req, _ = http.NewRequest(http.MethodPost, target+"/api/v1/decisions", bytes.NewBufferString(body))
					req.Header.Set("X-Api-Key", apiKey)
					req.Header.Set("Content-Type", "application/json")
				}
				resp, err := client.Do(req)
				if err != nil {
					atomic.AddInt64(&failures, 1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					atomic.AddInt64(&failures, 1)
				} else {
					atomic.AddInt64(&done, 1)
				}
			}
		}(w)
	}
	wg.Wait()
	fmt.Printf("closed loop, %d clients, %d s: %.0f %s/s, %d failed\n", workers, seconds,
		float64(done)/time.Since(start).Seconds(), map[bool]string{true: "searches", false: "decisions"}[endpoint == "fhir"],
		failures)
}

// lag writes on one node and reads the write back on another, one pair at a time at the given rate.
func lag(client *http.Client, writeURL, readURL, project, password string, rate, seconds int) {
	total := rate * seconds
	lags := make([]time.Duration, 0, total)
	alone := make([]time.Duration, 0, total)
	run := time.Now().UnixNano() % 1_000_000 * 1_000
	post := func(u, body string) (map[string]any, error) {
		req, _ := http.NewRequest(http.MethodPost, u, bytes.NewBufferString(body))
		req.SetBasicAuth("admin", password)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode/100 != 2 {
			return nil, fmt.Errorf("%s: %d %s", u, resp.StatusCode, raw)
		}
		var out map[string]any
		return out, json.Unmarshal(raw, &out)
	}
	for i := 0; i < total; i++ {
		next := time.Now().Add(time.Second / time.Duration(rate))
		person := nir(run + int64(i))
		written, err := post(writeURL+"/api/v1/opt-outs", fmt.Sprintf(`{"person":"%s","scope":{"type":"GLOBAL"},`+
			`"channel":"POST","idempotencyKey":"lag-%d-%d"}`, person, run, i))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		ask := fmt.Sprintf(`{"person":"%s","projectId":"%s","treeSize":%d}`, person, project,
			int64(written["treeSize"].(float64)))
		acknowledged := time.Now()
		if _, err := post(readURL+"/api/v1/decisions", ask); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		lags = append(lags, time.Since(acknowledged))
		again := time.Now()
		if _, err := post(readURL+"/api/v1/decisions", ask); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		alone = append(alone, time.Since(again))
		time.Sleep(time.Until(next))
	}
	pct := func(d []time.Duration, p float64) time.Duration {
		sort.Slice(d, func(a, b int) bool { return d[a] < d[b] })
		return d[int(float64(len(d)-1)*p)]
	}
	fmt.Printf("%d writes: acknowledged on one node to answered on the other: p50 %v, p99 %v, max %v\n", total,
		pct(lags, 0.5), pct(lags, 0.99), lags[len(lags)-1])
	fmt.Printf("the same decision asked again at once (one request, no waiting): p50 %v, p99 %v\n",
		pct(alone, 0.5), pct(alone, 0.99))
}

// nir is a valid synthetic NIR (men born abroad, department 99) for person n, with its key.
func nir(n int64) string {
	body := fmt.Sprintf("1%02d%02d99%03d%03d", n%100, 1+(n/100)%12, (n/1200)%1000, 1+(n/1200000)%999)
	var v int64
	fmt.Sscan(body, &v)
	return fmt.Sprintf("%s%02d", body, 97-v%97)
}
