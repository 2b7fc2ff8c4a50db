<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
    <message>
        <location filename="../../ui/window/export.cpp" line="+14"/>
        <source>There is nothing to export yet.</source>
        <translation>还没有可导出的内容。</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Made with SynAck from what the Linux kernel reported</source>
        <translation>由 SynAck 根据 Linux 内核报告的内容生成</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+3"/>
        <location line="+11"/>
        <source>Cannot write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
</context>
<context>
    <name>synack::BuffersView</name>
    <message>
        <location filename="../../ui/panels/buffersview.cpp" line="+50"/>
        <source>Each socket&apos;s queues as the kernel reported them. The small chart beside a gauge shows every reading so far (solid: bytes queued; dashed: of them not yet sent); the vertical line marks the moment shown.</source>
        <translation>各套接字的队列，数值均为内核所报告。队列条旁的小图显示迄今为止的每一次读数（实线：排队的字节；虚线：其中尚未发送的字节）；竖线标出当前显示的时刻。</translation>
    </message>
    <message>
        <location line="+151"/>
        <source>gone: the kernel no longer has this socket</source>
        <translation>已消失：内核中已没有这个套接字</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>blocked: %1</source>
        <translation>阻塞：%1</translation>
    </message>
    <message>
        <location line="+40"/>
        <location line="+20"/>
        <location line="+21"/>
        <location line="+280"/>
        <source>not reported</source>
        <translation>未报告</translation>
    </message>
    <message>
        <location line="-321"/>
        <source>connections waiting for accept(): %1</source>
        <translation>等待 accept() 的连接：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>backlog not reported</source>
        <translation>backlog 未报告</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>of backlog %1 + 1 = %2 (Linux lets one more wait than listen() asked for; a listener&apos;s Send-Q is its backlog)</source>
        <translation>上限 backlog %1 + 1 = %2（Linux 允许排队的连接比 listen() 要求的多一个；监听套接字在套接字表中的发送队列数值就是它的 backlog）</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>bytes queued: %1; sent, not yet acknowledged: %2; not yet sent: %3</source>
        <translation>排队字节：%1；已发送未确认：%2；尚未发送：%3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>bytes queued, not yet acknowledged: %1</source>
        <translation>排队未确认的字节：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SO_SNDBUF not reported</source>
        <translation>SO_SNDBUF 未报告</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>of SO_SNDBUF %1 bytes</source>
        <translation>上限 SO_SNDBUF %1 字节</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>bytes received, not yet read: %1</source>
        <translation>已接收未读取的字节：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>SO_RCVBUF not reported</source>
        <translation>SO_RCVBUF 未报告</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>of SO_RCVBUF %1 bytes</source>
        <translation>上限 SO_RCVBUF %1 字节</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>SO_SNDBUF and SO_RCVBUF are shown as the kernel reports them: double the value given to setsockopt(), because the kernel counts its own bookkeeping against them, so fewer bytes of data fit than the number says.</source>
        <translation>SO_SNDBUF 和 SO_RCVBUF 按内核报告的值显示：是传给 setsockopt() 的值的两倍，因为内核把自身的管理开销也计算在内，所以实际能容纳的数据字节数比这个数字少。</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>and %1 more sockets: the Sockets table lists every one.</source>
        <translation>另有 %1 个套接字：“套接字”表列出了全部。</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>No connection yet: queues appear once a socket connects or listens.</source>
        <translation>尚无连接：套接字发起连接或开始监听后，这里会显示其队列。</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>accept queue</source>
        <translation>全连接队列</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>send queue</source>
        <translation>发送队列</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>receive queue</source>
        <translation>接收队列</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>capacity not reported</source>
        <translation>容量未报告</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>accept() blocked</source>
        <translation>accept() 阻塞</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>send() blocked</source>
        <translation>send() 阻塞</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>recv() blocked</source>
        <translation>recv() 阻塞</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>full</source>
        <translation>已满</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>peer&apos;s window: 0</source>
        <translation>对端窗口：0</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>our window: 0</source>
        <translation>本端窗口：0</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>bytes queued: %1</source>
        <translation>排队字节：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sent, not yet acknowledged: %1</source>
        <translation>已发送未确认：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not yet sent: %1</source>
        <translation>尚未发送：%1</translation>
    </message>
</context>
<context>
    <name>synack::CallText</name>
    <message>
        <location filename="../../ui/playback/calltext.cpp" line="+40"/>
        <source>until the send buffer is full</source>
        <translation>直到发送缓冲区满</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>until end of stream</source>
        <translation>直到流结束</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>what is queued</source>
        <translation>已排队的数据</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>within %1 ms</source>
        <translation>%1 毫秒内</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1 within %2 ms</source>
        <translation>%1，%2 毫秒内</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{on, %1 s}</source>
        <translation>{开启, %1 秒}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{off}</source>
        <translation>{关闭}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>O_NONBLOCK on</source>
        <translation>O_NONBLOCK 开启</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>O_NONBLOCK off</source>
        <translation>O_NONBLOCK 关闭</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+128"/>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <location line="-124"/>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>hold</source>
        <translation>扣住</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>pass</source>
        <translation>放行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cut the wire</source>
        <translation>切断线路</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>mend the wire</source>
        <translation>接通线路</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lose</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>deliver</source>
        <translation>递送</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>drop</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>duplicate</source>
        <translation>复制</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>delay</source>
        <translation>延迟</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>wait for</source>
        <translation>等待</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>newest</source>
        <translation>最新的</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>gate: %1</source>
        <translation>闸门：%1</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>wait %1</source>
        <translation>等待 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>wait for %1 within %2 ms</source>
        <translation>等待进入 %1（%2 毫秒内）</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>retransmit</source>
        <comment>a timer, in the Timer column</comment>
        <translation>重传定时器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>keepalive</source>
        <comment>a timer, in the Timer column</comment>
        <translation>保活定时器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>time-wait</source>
        <comment>a timer, in the Timer column</comment>
        <translation>TIME_WAIT 定时器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>probe</source>
        <comment>a timer, in the Timer column</comment>
        <translation>零窗口探测定时器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>fin-wait2</source>
        <comment>a timer, in the Timer column</comment>
        <translation>FIN_WAIT2 定时器</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>unknown(%1)</source>
        <comment>a timer, in the Timer column</comment>
        <translation>未知定时器（%1）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>retransmission timer</source>
        <translation>重传定时器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>keepalive timer</source>
        <translation>保活定时器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>time-wait timer</source>
        <translation>TIME_WAIT 定时器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>zero-window probe timer</source>
        <translation>零窗口探测定时器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>fin-wait2 timer</source>
        <translation>FIN_WAIT2 定时器</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>unknown timer (%1)</source>
        <translation>未知定时器（%1）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 %2 s</source>
        <translation>%1 %2 秒</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not reported</source>
        <translation>未报告</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no such endpoint</source>
        <translation>没有这个端点</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no call yet</source>
        <translation>尚无调用</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>no peer socket</source>
        <translation>没有对端套接字</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>held</source>
        <translation>被扣住</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>none arrived</source>
        <translation>没有报文段到达</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>none held: the wire is cut, every segment is lost</source>
        <translation>没有扣住任何报文段：线路已切断，每个报文段都丢失了</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>none held: the gate is not holding (gate hold), so segments pass</source>
        <translation>没有扣住任何报文段：闸门没有在扣留（gate hold），报文段直接通过</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>no gate: this run is not in the gated lab</source>
        <translation>没有闸门：这次运行不在门控实验室中</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>expect %1 in %2</source>
        <translation>期望 %1 处于 %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>expect %1&apos;s peer in %2</source>
        <translation>期望 %1 的对端处于 %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>expect %1&apos;s call to block</source>
        <translation>期望 %1 的调用阻塞</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expect %1 not blocked</source>
        <translation>期望 %1 未阻塞</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>expect the gate to hold %1 within %2 ms</source>
        <translation>期望闸门在 %2 毫秒内扣住 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>a segment</source>
        <translation>一个报文段</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>expect the gate to hold %1 segment(s)</source>
        <translation>期望闸门扣住 %1 个报文段</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>expect the next segment held at the gate to be %1</source>
        <translation>期望闸门扣住的下一个报文段是 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>expect %1&apos;s %2 running</source>
        <translation>期望 %1 的%2在运行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>errno</source>
        <translation>errno</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>return value</source>
        <translation>返回值</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>receive queue</source>
        <translation>接收队列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>send queue</source>
        <translation>发送队列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unsent bytes</source>
        <translation>未发送字节</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>accept queue</source>
        <translation>全连接队列</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>send buffer</source>
        <translation>发送缓冲区</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>receive buffer</source>
        <translation>接收缓冲区</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>timer&apos;s time left (ms)</source>
        <translation>定时器剩余毫秒数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>segments sent</source>
        <translation>已发送报文段数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>segments received</source>
        <translation>已接收报文段数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>retransmissions</source>
        <translation>重传次数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>shut down directions</source>
        <translation>已关闭的方向</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>expect %1&apos;s %2 %3</source>
        <translation>期望 %1 的%2 %3</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>not sampled: passed through faster than the sampler reads the kernel; taken from the RFC 9293 diagram</source>
        <translation>未采样到：状态经过得比采样器读取内核更快；取自 RFC 9293 状态图</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>the kernel no longer has this socket</source>
        <translation>内核中已没有这个套接字</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not sampled: connect() returned ECONNREFUSED, which the kernel reports when a RST answers the SYN</source>
        <translation>未采样到：connect() 返回 ECONNREFUSED，内核在 SYN 得到 RST 应答时报告这个错误</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>inferred: connect() sends SYN</source>
        <translation>推断：connect() 发出 SYN</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>inferred from ECONNREFUSED: no listener on that port</source>
        <translation>由 ECONNREFUSED 推断：该端口上没有监听者</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>the kernel counted %1 bytes sent (tcpi_bytes_sent); their division into segments is not seen without a capture</source>
        <translation>内核统计已发送 %1 字节（tcpi_bytes_sent）；没有抓包就看不到它们如何分成报文段</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>inferred: %1 went %2, which takes a %3 from %4</source>
        <translation>推断：%1 经历 %2，这需要来自 %4 的 %3</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>inferred: %1 went %2, which sends %3 (RFC 9293)</source>
        <translation>推断：%1 经历 %2，此时发出 %3（RFC 9293）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>run stopped by the user</source>
        <translation>运行被用户停止</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>host loopback because SYNACK_TIER=0: segments are inferred from the state changes</source>
        <translation>使用主机回环，因为 SYNACK_TIER=0：报文段由状态变化推断</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>this scenario was written for loopback: where its narration says 127.0.0.1 or loopback, read the two hosts&apos; addresses, and segments that take real time to cross</source>
        <translation>这个场景是为回环接口编写的：解说中提到 127.0.0.1 或回环接口的地方，请理解为两台主机的地址，并且报文段的传输需要真实的时间</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>run of %1 on Linux %2, gated lab: a client host (%3) and a server host (%4), private network namespaces joined only through SynAck&apos;s gate, where every segment is captured</source>
        <translation>在 Linux %2 上运行 %1，门控实验室：一台客户端主机（%3）和一台服务器主机（%4），两个私有网络命名空间只通过 SynAck 的闸门相连，每个报文段都被抓取</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>user and network</source>
        <translation>用户与网络</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>network</source>
        <translation>网络</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>run of %1 on Linux %2, lab: a private network namespace (%3) with its own lo, where every segment is captured</source>
        <translation>在 Linux %2 上运行 %1，实验室：一个有自己 lo 接口的私有网络命名空间（%3），每个报文段都被抓取</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>run of %1 on Linux %2, host loopback</source>
        <translation>在 Linux %2 上运行 %1，主机回环</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>host loopback because the lab is not available (%1): segments are inferred from the state changes</source>
        <translation>使用主机回环，因为实验室不可用（%1）：报文段由状态变化推断</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 packets passed lo while the capture ring was full: they are missing from the ladder and the pcap</source>
        <translation>抓包环形缓冲区已满时有 %1 个数据包经过 lo：时序图和 pcap 中缺少它们</translation>
    </message>
</context>
<context>
    <name>synack::EventLogModel</name>
    <message>
        <location filename="../../ui/models/eventlogmodel.cpp" line="+15"/>
        <source>step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>state</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>buffers</source>
        <translation>缓冲区</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>timer</source>
        <translation>定时器</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>segment</source>
        <translation>报文段</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>expect</source>
        <translation>预期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>gate</source>
        <translation>闸门</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 blocks</source>
        <translation>%1 阻塞</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>returns: %1</source>
        <translation>返回：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(new)</source>
        <translation>（新建）</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+21"/>
        <source>(inferred)</source>
        <translation>（推断）</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>(gone)</source>
        <translation>（已消失）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>accept queue %1 of backlog %2</source>
        <translation>全连接队列 %1，backlog %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>recv-q %1, send-q %2 (unsent %3), sndbuf %4, rcvbuf %5</source>
        <translation>接收队列 %1，发送队列 %2（未发送 %3），发送缓冲区 %4，接收缓冲区 %5</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>no timer</source>
        <translation>无定时器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1, %2 ms left</source>
        <translation>%1，剩余 %2 毫秒</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>✓ %1</source>
        <translation>✓ %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>✗ %1 — expected %2, kernel says %3</source>
        <translation>✗ %1 — 预期 %2，内核报告 %3</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Time (ms)</source>
        <translation>时间 (ms)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Endpoint</source>
        <translation>端点</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>What happened</source>
        <translation>发生了什么</translation>
    </message>
</context>
<context>
    <name>synack::GateText</name>
    <message>
        <location filename="../../ui/playback/gatetext.cpp" line="+30"/>
        <source>the gate holds every segment</source>
        <translation>闸门扣住每一个报文段</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the gate lets every segment pass</source>
        <translation>闸门放行每一个报文段</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the wire is cut: every segment is lost</source>
        <translation>线路被切断：每个报文段都会丢失</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the wire is mended</source>
        <translation>线路已接通</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the gate loses %1 from now on</source>
        <translation>从现在起闸门丢弃 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the gate delivers segment #%1</source>
        <translation>闸门递送报文段 #%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the gate drops segment #%1</source>
        <translation>闸门丢弃报文段 #%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the gate sends a copy of segment #%1</source>
        <translation>闸门发送报文段 #%1 的副本</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the gate delays every segment by %1</source>
        <translation>闸门把每个报文段延迟 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>gate %1</source>
        <translation>闸门 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>, by you</source>
        <translation>（由你操作）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>gate: hold</source>
        <translation>闸门：扣住</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>gate: pass</source>
        <translation>闸门：放行</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>gate: wire cut</source>
        <translation>闸门：线路切断</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>gate: wire mended</source>
        <translation>闸门：线路接通</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>gate: lose %1</source>
        <translation>闸门：丢弃 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>gate: copy #%1</source>
        <translation>闸门：复制 #%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>gate: delay %1</source>
        <translation>闸门：延迟 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>gate: %1</source>
        <translation>闸门：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (you)</source>
        <translation>（你）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>held</source>
        <translation>被扣住</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>held at the gate</source>
        <translation>被闸门扣住</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>lost: the wire is cut</source>
        <translation>丢失：线路已切断</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>lost at the gate</source>
        <translation>在闸门处丢失</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>copy of #%1</source>
        <translation>#%1 的副本</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>delayed at the gate</source>
        <translation>在闸门处被延迟</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>retransmission</source>
        <translation>重传</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>keepalive probe</source>
        <translation>保活探测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>window probe</source>
        <translation>窗口探测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>zero window probe</source>
        <translation>零窗口探测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>delayed ACK</source>
        <translation>延迟 ACK</translation>
    </message>
</context>
<context>
    <name>synack::LadderView</name>
    <message>
        <location filename="../../ui/ladder/ladderevents.cpp" line="+322"/>
        <source>wait %1</source>
        <translation>等待 %1</translation>
    </message>
    <message>
        <location line="-132"/>
        <source>Line %1: %2
Time passes; the kernel runs its timers meanwhile.</source>
        <translation>第 %1 行：%2
时间流逝；其间内核照常运行它的定时器。</translation>
    </message>
    <message>
        <location line="+153"/>
        <source>wait for %1</source>
        <translation>等待进入 %1</translation>
    </message>
    <message>
        <location line="-74"/>
        <location filename="../../ui/ladder/ladderlayout.cpp" line="+276"/>
        <location line="+271"/>
        <source>blocked</source>
        <translation>阻塞中</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>returned %1</source>
        <translation>返回 %1</translation>
    </message>
    <message>
        <location line="-181"/>
        <location line="+558"/>
        <source>Line %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
    <message>
        <location line="-608"/>
        <source>%1 s left</source>
        <translation>剩余 %1 秒</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>seq %1 (relative %2)</source>
        <translation>seq %1（相对 %2）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ack %1 (relative %2)</source>
        <translation>ack %1（相对 %2）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>zero-window probe</source>
        <translation>零窗口探测</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>duplicate ACK</source>
        <translation>重复 ACK</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>window update</source>
        <translation>窗口更新</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>window update or dup ACK</source>
        <translation>窗口更新或重复 ACK</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>The run waits until the kernel reports this state.</source>
        <translation>运行会一直等待，直到内核报告这个状态。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The call blocks: the application waits, the run goes on with other endpoints.</source>
        <translation>调用阻塞：应用程序在等待，运行继续处理其他端点。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The blocked call returned %1.</source>
        <translation>阻塞的调用返回了 %1。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Returned %1.</source>
        <translation>返回 %1。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The new connection is %1.</source>
        <translation>新连接为 %1。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The connection shown as %1 is now %2.</source>
        <translation>显示为 %1 的连接现在叫作 %2。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>en</source>
        <comment>the key of the scenario narration the ladder&apos;s tooltips show</comment>
        <translation>zh</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Sent by the kernel&apos;s timer: %1.</source>
        <translation>由内核定时器发送：%1。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Why: %1 (inferred from the segments captured before it).</source>
        <translation>原因：%1（根据此前捕获的报文段推断）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Held at the gate (segment #%1): it waits there until it is delivered or dropped. Click it to decide.</source>
        <translation>被闸门扣住（报文段 #%1）：它在那里等待，直到被递送或丢弃。点击它来决定。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Lost: the wire was cut, so it never reached %1.</source>
        <translation>丢失：线路被切断，它没能到达 %1。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Lost at the gate: a `gate lose` rule threw it away.</source>
        <translation>在闸门处丢失：一条 `gate lose` 规则把它丢弃了。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A copy of segment #%1, sent again by the gate.</source>
        <translation>报文段 #%1 的副本，由闸门再次发送。</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>Dropped by %1&apos;s kernel (inferred): its accept queue was full (%2 waiting, backlog %3, read from the kernel before this SYN) and no SYN,ACK answered it. Linux drops such a SYN without a reply; the client&apos;s timer sends it again.</source>
        <translation>被 %1 的内核丢弃（推断）：它的全连接队列已满（%2 个等待，backlog %3，在这个 SYN 之前从内核读取），且没有 SYN,ACK 回应它。Linux 丢弃这样的 SYN 而不作回复；客户端的定时器会再次发送它。</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>win %1</source>
        <translation>窗口 %1</translation>
    </message>
    <message>
        <location line="+106"/>
        <location filename="../../ui/ladder/ladderlayout.cpp" line="-255"/>
        <source>accepted as %1</source>
        <translation>accept() 后为 %1</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>gone</source>
        <translation>已消失</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>dropped: accept queue full (inferred)</source>
        <translation>已丢弃：全连接队列已满（推断）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>held #%1</source>
        <translation>被扣住 #%1</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>#%1 delivered from the gate by you</source>
        <translation>#%1 由你从闸门递送</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>#%1 delivered from the gate</source>
        <translation>#%1 从闸门递送</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>#%1 dropped at the gate by you</source>
        <translation>#%1 由你在闸门处丢弃</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>#%1 dropped at the gate</source>
        <translation>#%1 在闸门处被丢弃</translation>
    </message>
    <message>
        <location line="+144"/>
        <source>The first of %1 like it in this step: click it to draw them as one arrow.</source>
        <translation>本步骤中 %1 个同类报文段的第一个：点击它，把它们合并为一个箭头。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 like it in this step (and their answers) drawn as one arrow: click it to draw each.</source>
        <translation>本步骤中 %1 个同类报文段（及其回应）合并为一个箭头：点击它，逐个显示。</translation>
    </message>
    <message>
        <location line="-508"/>
        <source>%1 appears in %2</source>
        <translation>%1 出现，状态为 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2 -&gt; %3</source>
        <translation>%1：%2 -&gt; %3</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../../ui/ladder/ladderview.cpp" line="+80"/>
        <source>local %1</source>
        <translation>本地 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>, peer %1</source>
        <translation>，对端 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Inferred, not read from the kernel: %1</source>
        <translation>推断所得，并非读自内核：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>filled in from the RFC 9293 diagram</source>
        <translation>根据 RFC 9293 状态图补全</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read from the kernel: %1.</source>
        <translation>读自内核：%1。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Read from the kernel.</source>
        <translation>读自内核。</translation>
    </message>
    <message>
        <location line="-86"/>
        <location line="+215"/>
        <source>seq %1</source>
        <translation>seq %1</translation>
    </message>
    <message>
        <location line="-212"/>
        <location line="+213"/>
        <source>ack %1</source>
        <translation>ack %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>len %1</source>
        <translation>长度 %1</translation>
    </message>
    <message>
        <location line="-124"/>
        <source>%1 from %2 to %3</source>
        <translation>%1，从 %2 发往 %3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>window %1</source>
        <translation>窗口 %1</translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n byte(s) of data</source>
        <translation>
            <numerusform>%n 字节数据</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Inferred, not captured: %1</source>
        <translation>推断所得，并非抓包捕获：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>implied by the state changes</source>
        <translation>由状态变化推知</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Captured on the wire.</source>
        <translation>在线路上抓包捕获。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reported by the kernel.</source>
        <translation>由内核报告。</translation>
    </message>
    <message>
        <location line="-122"/>
        <source>time-wait %1 s</source>
        <translation>TIME_WAIT 定时器 %1 秒</translation>
    </message>
    <message>
        <location line="+150"/>
        <source>%1: the kernel&apos;s time-wait timer had %2 ms left when read.
The socket stays in TIME_WAIT until it expires (60 s on Linux).</source>
        <translation>%1：读取时内核的 TIME_WAIT 定时器还剩 %2 ms。
套接字一直处于 TIME_WAIT，直到定时器到期（Linux 上为 60 秒）。</translation>
    </message>
    <message>
        <location line="-151"/>
        <location filename="../../ui/ladder/ladderfit.cpp" line="+212"/>
        <location filename="../../ui/ladder/ladderlayout.cpp" line="+228"/>
        <source>time-wait %1 s left</source>
        <translation>TIME_WAIT 剩余 %1 秒</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>fin-wait2 %1 s left</source>
        <translation>FIN_WAIT2 剩余 %1 秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fin-wait2 %1 s</source>
        <translation>FIN_WAIT2 定时器 %1 秒</translation>
    </message>
    <message>
        <location line="+147"/>
        <source>%1: the kernel&apos;s FIN_WAIT2 timer had %2 ms left when read.
An orphan (closed by its application) waits this long for the peer&apos;s FIN (tcp_fin_timeout); then the kernel drops it. This is not TIME_WAIT.</source>
        <translation>%1：读取时内核的 FIN_WAIT2 定时器还剩 %2 毫秒。
孤儿连接（应用已关闭它）最多等这么久来等对端的 FIN（tcp_fin_timeout）；之后内核丢弃它。这不是 TIME_WAIT。</translation>
    </message>
    <message>
        <location line="+371"/>
        <source>×%1 keepalive probes</source>
        <translation>×%1 个保活探测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>×%1 zero-window probes</source>
        <translation>×%1 个零窗口探测</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>×%1 retransmissions</source>
        <translation>×%1 次重传</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>×%1 duplicate ACKs</source>
        <translation>×%1 个重复 ACK</translation>
    </message>
    <message>
        <location line="+9"/>
        <location filename="../../ui/ladder/ladderlayout.cpp" line="-325"/>
        <source>Step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <location filename="../../ui/ladder/ladderlayout.cpp" line="+83"/>
        <source>%1 waited in %2 until the call returned.</source>
        <translation>%1 阻塞在 %2 中，直到调用返回。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>as %1</source>
        <translation>即 %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>accept() took the connection shown as %1 off the queue: the same kernel socket, now called %2.</source>
        <translation>accept() 从队列中取出了显示为 %1 的连接：仍是同一个内核套接字，现在叫作 %2。</translation>
    </message>
    <message>
        <location line="+202"/>
        <source>wire cut</source>
        <translation>线路切断</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The wire is cut here: every segment sent meanwhile is lost.</source>
        <translation>线路在这里被切断：其间发送的每个报文段都会丢失。</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>%1 is still waiting in %2.</source>
        <translation>%1 仍阻塞在 %2 中。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The side that connects.</source>
        <translation>发起连接的一方。</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+5"/>
        <source>Wire</source>
        <translation>线路</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>The gated lab&apos;s wire: every segment crosses SynAck&apos;s gate in the middle, which can hold it, deliver it, drop it, copy it or cut the wire.</source>
        <translation>门控实验室的线路：每个报文段都要经过中间的 SynAck 闸门，闸门可以扣住、递送、丢弃、复制报文段，或切断线路。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>through the gate</source>
        <translation>经过闸门</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Loopback: segments cross here. Dashed arrows were inferred, not captured.</source>
        <translation>回环接口：报文段在这里传递。虚线箭头是推断的，并非抓包捕获。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>loopback</source>
        <translation>回环</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The side that listens and accepts.</source>
        <translation>监听并接受连接的一方。</translation>
    </message>
    <message>
        <location filename="../../ui/ladder/ladderview.cpp" line="-2"/>
        <source>shown as %1 until accept()</source>
        <translation>accept() 之前显示为 %1</translation>
    </message>
    <message>
        <location line="+123"/>
        <source>Absolute Sequence Numbers</source>
        <translation>绝对序列号</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show seq and ack as sent, not counted from each side&apos;s initial sequence number</source>
        <translation>按发送时的原值显示 seq 和 ack，而不是从各方的初始序列号算起</translation>
    </message>
    <message>
        <location filename="../../ui/ladder/ladderpainter.cpp" line="+124"/>
        <source>inferred</source>
        <translation>推断</translation>
    </message>
</context>
<context>
    <name>synack::LiveSession</name>
    <message>
        <location filename="../../ui/playback/livesession.cpp" line="+53"/>
        <source>There is no run to save.</source>
        <translation>没有可保存的运行。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>There is no run: start one in the gated lab first.</source>
        <translation>当前没有运行：请先在门控实验室中开始一次运行。</translation>
    </message>
</context>
<context>
    <name>synack::LiveWorker</name>
    <message>
        <location line="+172"/>
        <source>Nothing was captured: segments are captured only in the lab tier (see synack doctor).</source>
        <translation>没有抓到任何报文段：只有在实验层级中才会抓包（参见 synack doctor）。</translation>
    </message>
</context>
<context>
    <name>synack::MainWindow</name>
    <message>
        <location filename="../../ui/window/mainwindow.cpp" line="+63"/>
        <source>SynAck</source>
        <translation>SynAck</translation>
    </message>
    <message>
        <location line="+279"/>
        <location line="+3"/>
        <source>The run stopped: %1</source>
        <translation>运行已停止：%1</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n expectation(s) did not hold.</source>
        <translation>
            <numerusform>%n 条预期未满足。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>Done: all %n expectation(s) held.</source>
        <translation>
            <numerusform>完成：全部 %n 条预期均已满足。</numerusform>
        </translation>
    </message>
    <message>
        <location line="-212"/>
        <source>Captured segments saved to %1 (open it with Wireshark or tcpdump -r)</source>
        <translation>抓到的报文段已保存到 %1（可用 Wireshark 或 tcpdump -r 打开）</translation>
    </message>
    <message>
        <location line="-53"/>
        <source>Run Again</source>
        <translation>重新运行</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>The gate did nothing: %1</source>
        <translation>闸门未执行任何操作：%1</translation>
    </message>
    <message>
        <location line="+11"/>
        <location filename="../../ui/window/mainwindowbuild.cpp" line="+208"/>
        <source>Save pcap</source>
        <translation>保存 pcap</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>Lab: private network namespace · segments captured</source>
        <translation>实验层级：私有网络命名空间 · 报文段为抓包所得</translation>
    </message>
    <message>
        <location line="-12"/>
        <location line="+19"/>
        <source>Host loopback · segments inferred</source>
        <translation>本机回环 · 报文段为推断</translation>
    </message>
    <message>
        <location line="-41"/>
        <source>Each run gets a private network namespace with its own loopback: only its own sockets, nothing left behind on this machine, and every segment captured from the wire.</source>
        <translation>每次运行都有一个带独立回环接口的私有网络命名空间：只有它自己的套接字，不会在本机留下任何东西，每个报文段都从线路上抓包获得。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sockets live on this machine&apos;s loopback interface. States, queues and timers are read from the kernel; segments are inferred from the state changes. The lab tier is not available: %1</source>
        <translation>套接字位于本机的回环接口上。状态、队列和定时器读自内核；报文段由状态变化推断。实验层级不可用：%1</translation>
    </message>
    <message>
        <location filename="../../ui/window/mainwindowbuild.cpp" line="-131"/>
        <source>State diagram</source>
        <translation>状态图</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Narration</source>
        <translation>讲解</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Buffers</source>
        <translation>缓冲区</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Sockets</source>
        <translation>套接字</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Filter events</source>
        <translation>筛选事件</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Event log</source>
        <translation>事件日志</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Scenarios</source>
        <translation>场景列表</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Run this scenario</source>
        <translation>运行此场景</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Scenario</source>
        <translation>场景脚本</translation>
    </message>
    <message>
        <location filename="../../ui/window/mainwindow.cpp" line="+392"/>
        <source>→ / Space  step   ←  back   P  play/pause   R  restart   + / −  speed   F11  leave     — read from the kernel    - - - inferred</source>
        <translation>→ / 空格  单步   ←  后退   P  播放/暂停   R  重新开始   + / −  速度   F11  退出     — 读自内核    - - - 推断</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>In the gated lab: D delivers and X drops the oldest held segment; with Hold Every Segment on, → delivers the next held segment one at a time, and runs the next step only when nothing is held.</source>
        <translation>在门控实验室中：D 递送、X 丢弃最早被扣住的报文段；打开“扣住每个报文段”后，→ 每次递送下一个被扣住的报文段，只有没有报文段被扣住时才运行下一步。</translation>
    </message>
    <message>
        <location filename="../../ui/window/mainwindowbuild.cpp" line="+21"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open Scenario…</source>
        <translation>打开场景(&amp;O)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open &amp;Trace…</source>
        <translation>打开跟踪记录(&amp;T)…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Save Scenario As…</source>
        <translation>场景另存为(&amp;S)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save Trace As…</source>
        <translation>跟踪记录另存为…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+Shift+S</source>
        <translation>Ctrl+Shift+S</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save Captured Segments as pcap…</source>
        <translation>将抓到的报文段保存为 pcap…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Packet captures (*.pcap)</source>
        <translation>抓包文件 (*.pcap)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export &amp;Ladder…</source>
        <translation>导出时序图(&amp;L)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export State &amp;Diagram…</source>
        <translation>导出状态图(&amp;D)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run &amp;Scenario Again</source>
        <translation>重新运行场景(&amp;S)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Step &amp;Forward</source>
        <translation>下一步(&amp;F)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Step &amp;Back</source>
        <translation>上一步(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../ui/window/mainwindow.cpp" line="+27"/>
        <location filename="../../ui/window/mainwindowbuild.cpp" line="+2"/>
        <source>&amp;Play</source>
        <translation>播放(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/window/mainwindowbuild.cpp" line="+2"/>
        <source>Res&amp;tart</source>
        <translation>重新开始(&amp;T)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Faster</source>
        <translation>加速</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Slower</source>
        <translation>减速</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show Everything Recorded</source>
        <translation>显示全部已记录内容</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>End</source>
        <translation>End</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Run on the &amp;Wire (Gated Lab)</source>
        <translation>在线路上运行（门控实验室）(&amp;W)</translation>
    </message>
    <message>
        <location filename="../../ui/window/mainwindow.cpp" line="-111"/>
        <location filename="../../ui/window/mainwindowbuild.cpp" line="+2"/>
        <source>Run the scenario again between two private hosts joined through SynAck&apos;s gate, which can hold, deliver, drop and copy every segment.</source>
        <translation>在两台只通过 SynAck 闸门相连的私有主机之间重新运行场景，闸门可以扣住、递送、丢弃和复制每个报文段。</translation>
    </message>
    <message>
        <location filename="../../ui/window/mainwindowbuild.cpp" line="-47"/>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>&amp;Hold Every Segment</source>
        <translation>扣住每个报文段(&amp;H)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The gate holds every segment until you deliver (D) or drop (X) it; → then delivers the next held segment instead of running the next step.</source>
        <translation>闸门扣住每个报文段，直到你递送（D）或丢弃（X）它；此时 → 会递送下一个被扣住的报文段，而不是运行下一步。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The gate will hold every segment from the first step on.</source>
        <translation>从第一步起，闸门将扣住每个报文段。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Deliver Held Segment</source>
        <translation>递送被扣住的报文段(&amp;D)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Dr&amp;op Held Segment</source>
        <translation>丢弃被扣住的报文段(&amp;O)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Presentation Mode</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Actual Size</source>
        <translation>实际大小(&amp;A)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Zoom the ladder and the state diagram (Ctrl+wheel zooms the one under the mouse)</source>
        <translation>缩放时序图和状态图（Ctrl+滚轮缩放鼠标下的那一个）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Follow the System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Narration Language</source>
        <translation>讲解语言(&amp;N)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About SynAck</source>
        <translation>关于 SynAck(&amp;A)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About SynAck</source>
        <translation>关于 SynAck</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&lt;h3&gt;SynAck %1&lt;/h3&gt;&lt;p&gt;Watch the Linux kernel&apos;s TCP state machine work: real sockets on loopback, driven one call at a time, and everything the kernel reports about them.&lt;/p&gt;&lt;p&gt;Solid lines and filled marks were read from the kernel; dashed ones were inferred from the RFC 9293 diagram because they passed faster than they could be sampled.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;SynAck %1&lt;/h3&gt;&lt;p&gt;观察 Linux 内核的 TCP 状态机如何工作：在回环接口上使用真实的套接字，每次执行一个调用，并展示内核报告的关于它们的一切。&lt;/p&gt;&lt;p&gt;实线和实心标记读自内核；虚线是根据 RFC 9293 状态图推断的，因为这些状态变化太快，来不及采样。&lt;/p&gt;</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Steps</source>
        <translation>单步控制</translation>
    </message>
    <message>
        <location line="+16"/>
        <source> Speed </source>
        <translation> 速度 </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Animation speed (+ and − keys)</source>
        <translation>动画速度（+ 和 − 键）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Speed ×%1</source>
        <translation>速度 ×%1</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location filename="../../ui/window/mainwindow.cpp" line="-264"/>
        <source>Unsaved scenario</source>
        <translation>场景未保存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The scenario in the editor has changes that are not saved. Save them first?</source>
        <translation>编辑器中的场景有尚未保存的修改。要先保存吗？</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Open scenario</source>
        <translation>打开场景</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>(editor)</source>
        <translation>（编辑器）</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>The scenario has %n error(s); nothing was run.</source>
        <translation>
            <numerusform>场景中有 %n 处错误；未运行任何步骤。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+13"/>
        <source>%1 — SynAck</source>
        <translation>%1 — SynAck</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Ready: press → or Space to run the first step against the kernel.</source>
        <translation>就绪：按 → 或空格键，在内核上运行第一步。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Connect to this computer&apos;s ports?</source>
        <translation>连接本机的端口？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This scenario connects to port %1 on loopback.</source>
        <translation>这个场景会连接回环接口上的端口 %1。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>In the lab (tier 1) the scenario has a private network of its own and this does not matter. On host loopback (tier 0) the port may belong to another program on this computer, which would then receive the scenario&apos;s connection and data. Allow it only for a scenario you trust.</source>
        <translation>在实验室（第 1 层）中，场景有自己的私有网络，这没有影响。在主机回环（第 0 层）上，这个端口可能属于本机的其他程序，它会收到场景的连接和数据。只对你信任的场景允许。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Allow for this run</source>
        <translation>本次运行允许</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Do not allow</source>
        <translation>不允许</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The run stopped at line %1 of the scenario: %2</source>
        <translation>运行在场景第 %1 行停止：%2</translation>
    </message>
    <message>
        <location line="+135"/>
        <source>Checking whether this machine can make the gated lab…</source>
        <translation>正在检查本机能否建立门控实验室…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The gated lab is not available on this machine: %1</source>
        <translation>本机无法使用门控实验室：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run on the Wire</source>
        <translation>在线路上运行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The gated lab is not available on this machine: %1

The scenario runs as before; synack doctor says more.</source>
        <translation>本机无法使用门控实验室：%1

场景照旧运行；synack doctor 会给出更多信息。</translation>
    </message>
    <message numerus="yes">
        <location line="+41"/>
        <source>%n segment(s) held at the gate: D delivers the oldest, X drops it, or click one.</source>
        <translation>
            <numerusform>闸门扣住了 %n 个报文段：D 递送最早的一个，X 丢弃它，也可以点击其中一个。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Segment #%1 at the gate</source>
        <translation>闸门处的报文段 #%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1, held at the gate</source>
        <translation>%1，被闸门扣住</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Deliver</source>
        <translation>递送(&amp;D)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>D&amp;rop</source>
        <translation>丢弃(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>D&amp;uplicate</source>
        <translation>复制(&amp;U)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>→  step (holding: deliver)   D  deliver   X  drop   ←  back   P  play/pause   R  restart   F11  leave</source>
        <translation>→  单步（扣住时：递送）   D  递送   X  丢弃   ←  后退   P  播放/暂停   R  重新开始   F11  退出</translation>
    </message>
    <message>
        <location filename="../../ui/window/mainwindowfiles.cpp" line="+65"/>
        <location line="+15"/>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Loading was cancelled; nothing changed.</source>
        <translation>已取消加载；没有任何改变。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Open trace</source>
        <translation>打开跟踪记录</translation>
    </message>
    <message>
        <location filename="../../ui/window/mainwindow.cpp" line="-357"/>
        <source>Gated lab: two private hosts · segments captured at the gate</source>
        <translation>门控实验室：两台私有主机 · 报文段在闸门处抓取</translation>
    </message>
    <message>
        <location filename="../../ui/window/mainwindowfiles.cpp" line="+27"/>
        <source>%1 (recorded) — SynAck</source>
        <translation>%1（录制）— SynAck</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Recorded on Linux %1 at %2. Nothing is run: this replays what the kernel reported then.</source>
        <translation>于 %2 在 Linux %1 上录制。这里不会运行任何调用，只回放内核当时报告的内容。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Recorded: %1</source>
        <translation>录制时：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Replaying %1</source>
        <translation>正在回放 %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+5"/>
        <location line="+60"/>
        <location line="+5"/>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <location line="-62"/>
        <source>Trace saved to %1</source>
        <translation>跟踪记录已保存到 %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Ladder exported to %1</source>
        <translation>时序图已导出到 %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>State diagram exported to %1</source>
        <translation>状态图已导出到 %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/window/mainwindow.cpp" line="+374"/>
        <source> Ready · %n step(s) </source>
        <translation>
            <numerusform> 就绪 · 共 %n 步 </numerusform>
        </translation>
    </message>
    <message>
        <location line="+0"/>
        <source> Step %1 of %2 </source>
        <translation> 第 %1 步 / 共 %2 步 </translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../ui/window/mainwindowfiles.cpp" line="+7"/>
        <source>Open Scenario</source>
        <translation>打开场景</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>SynAck scenarios (*.synack);;All files (*)</source>
        <translation>SynAck 场景 (*.synack);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="-112"/>
        <location line="+120"/>
        <source>Open Trace</source>
        <translation>打开跟踪记录</translation>
    </message>
    <message>
        <location filename="../../ui/window/mainwindow.cpp" line="-348"/>
        <source>%1 was not opened:
%2</source>
        <translation>未打开 %1：
%2</translation>
    </message>
    <message>
        <location filename="../../ui/window/mainwindowfiles.cpp" line="-86"/>
        <source>%1 is not a trace SynAck can read.

%2</source>
        <translation>%1 不是 SynAck 能读取的跟踪记录。

%2</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>SynAck traces (*.json);;All files (*)</source>
        <translation>SynAck 跟踪记录 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Save Trace</source>
        <translation>保存跟踪记录</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>SynAck traces (*.json)</source>
        <translation>SynAck 跟踪记录 (*.json)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Save Scenario</source>
        <translation>保存场景</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>SynAck scenarios (*.synack)</source>
        <translation>SynAck 场景 (*.synack)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Scenario saved to %1</source>
        <translation>场景已保存到 %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export Ladder</source>
        <translation>导出时序图</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Export State Diagram</source>
        <translation>导出状态图</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SVG (*.svg);;PNG (*.png)</source>
        <translation>SVG 图像 (*.svg);;PNG 图像 (*.png)</translation>
    </message>
    <message>
        <location filename="../../ui/window/mainwindowsteps.cpp" line="+48"/>
        <source>&amp;Go to Step…</source>
        <translation>转到步骤(&amp;G)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ctrl+G</source>
        <translation>Ctrl+G</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Go to Step</source>
        <translation>转到步骤</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Step (1 to %1):</source>
        <translation>步骤（1 到 %1）：</translation>
    </message>
    <message numerus="yes">
        <location line="+24"/>
        <source>There is no step %1: this run has %n step(s).</source>
        <translation>
            <numerusform>没有第 %1 步：本次运行共有 %n 步。</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Running the steps up to step %1 against the kernel…</source>
        <translation>正在内核上运行直到第 %1 步的各步骤…</translation>
    </message>
</context>
<context>
    <name>synack::NarrationView</name>
    <message>
        <location filename="../../ui/panels/narrationview.cpp" line="+88"/>
        <source>Press → or Space to run the first step against the kernel.</source>
        <translation>按 → 或空格键，在内核上运行第一步。</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>expected %1, the kernel says %2</source>
        <translation>预期 %1，内核报告 %2</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 from %2 to %3: %4</source>
        <translation>%1，从 %2 发往 %3：%4</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Step %1 of %2</source>
        <translation>第 %1 步，共 %2 步</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>The call blocked, then returned: %1</source>
        <translation>调用先阻塞，随后返回：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The call is blocked: the application waits while the kernel cannot complete it. The run goes on with the other sockets.</source>
        <translation>调用被阻塞：内核暂时无法完成它，应用程序只能等待。运行继续处理其他套接字。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>At the gate</source>
        <translation>闸门处</translation>
    </message>
</context>
<context>
    <name>synack::SocketTableModel</name>
    <message>
        <location filename="../../ui/models/sockettablemodel.cpp" line="+87"/>
        <source>shown as %1 until accept() gave it this name</source>
        <translation>在 accept() 给它这个名字之前显示为 %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>blocked: %1 is waiting for the kernel</source>
        <translation>阻塞：%1 正在等待内核</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>gone: the kernel no longer has this socket</source>
        <translation>已消失：内核中已没有这个套接字</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>inferred: not read from the kernel</source>
        <translation>推断：并非读自内核</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>not reported by the kernel</source>
        <translation>内核未报告</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>connections waiting for accept(): %1</source>
        <translation>等待 accept() 的连接：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>backlog %1: Linux queues up to backlog + 1 = %2 connections</source>
        <translation>backlog %1：Linux 最多排队 backlog + 1 = %2 个连接</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>bytes received, not yet read by the application: %1</source>
        <translation>已接收、应用程序尚未读取的字节：%1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bytes in the send queue, not yet acknowledged by the peer: %1</source>
        <translation>发送队列中尚未被对端确认的字节：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>of them not yet sent: %1</source>
        <translation>其中尚未发送：%1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Send-Q counts sequence numbers sent and not acknowledged (write_seq - snd_una): a SYN or a FIN takes one, so an unanswered SYN or FIN counts as 1 here.</source>
        <translation>发送队列计算的是已发送但尚未被确认的序号（write_seq - snd_una）：SYN 或 FIN 各占一个序号，所以没有得到应答的 SYN 或 FIN 在这里记为 1。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>%1 %2s</source>
        <translation>%1 %2 秒</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1: the kernel reported %2 ms left; counting down from that reading</source>
        <translation>%1：内核报告剩余 %2 毫秒；从这次读数开始倒计时</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>retransmissions or probes so far: %1</source>
        <translation>迄今的重传或探测次数：%1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>← rd</source>
        <translation>← 读</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>receiving is shut down: shutdown(SHUT_RD), or the peer&apos;s FIN arrived</source>
        <translation>接收方向已关闭：调用了 shutdown(SHUT_RD)，或对端的 FIN 已到达</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>→ wr</source>
        <translation>→ 写</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sending is shut down: shutdown(SHUT_WR) or close() sent our FIN</source>
        <translation>发送方向已关闭：shutdown(SHUT_WR) 或 close() 发出了本端的 FIN</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>↔ rdwr</source>
        <translation>↔ 读写</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>both directions are shut down</source>
        <translation>两个方向都已关闭</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>no direction is shut down</source>
        <translation>没有方向被关闭</translation>
    </message>
    <message>
        <location line="+146"/>
        <source>Bytes received and not yet read; for a listener, connections waiting for accept()</source>
        <translation>已接收但尚未读取的字节；对监听套接字而言，是等待 accept() 的连接数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bytes not yet acknowledged by the peer; for a listener, the backlog</source>
        <translation>尚未被对端确认的字节；对监听套接字而言，是 backlog</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The kernel timer running on the socket and the time it has left</source>
        <translation>套接字上正在运行的内核定时器及其剩余时间</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Directions shut down: ← receiving, → sending</source>
        <translation>已关闭的方向：← 接收，→ 发送</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Endpoint</source>
        <translation>端点</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Local Address:Port</source>
        <translation>本地地址:端口</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Peer Address:Port</source>
        <translation>对端地址:端口</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Recv-Q</source>
        <translation>接收队列</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send-Q</source>
        <translation>发送队列</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Timer</source>
        <translation>定时器</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shutdown</source>
        <translation>已关闭方向</translation>
    </message>
</context>
<context>
    <name>synack::StateDiagramView</name>
    <message>
        <location filename="../../ui/diagram/diagramroutes.cpp" line="+135"/>
        <source>No connection: a socket not yet listening or connecting, or one whose connection is over.</source>
        <translation>无连接：套接字尚未监听或发起连接，或者它的连接已经结束。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Waits for connection requests (SYNs); finished handshakes queue up for accept().</source>
        <translation>等待连接请求（SYN）；完成握手的连接在全连接队列中等待 accept()。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Has sent a SYN for connect() and waits for the peer&apos;s SYN,ACK.</source>
        <translation>已为 connect() 发出 SYN，等待对端的 SYN,ACK。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Has received a SYN and answered SYN,ACK; waits for the ACK that completes the handshake.</source>
        <translation>已收到 SYN 并回复了 SYN,ACK；等待完成握手的 ACK。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The connection is open: data can flow both ways.</source>
        <translation>连接已建立：数据可以双向传输。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This side has closed and sent its FIN; waits for the FIN to be acknowledged.</source>
        <translation>本端已关闭并发出 FIN；等待这个 FIN 被确认。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Our FIN is acknowledged; waits for the peer&apos;s FIN (Linux gives up on an orphan after tcp_fin_timeout, 60 s).</source>
        <translation>本端的 FIN 已被确认；等待对端的 FIN（对于孤儿套接字，Linux 在 tcp_fin_timeout 即 60 秒后放弃）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Both sides sent a FIN at once: the peer&apos;s FIN arrived before ours was acknowledged.</source>
        <translation>双方同时发出了 FIN：对端的 FIN 在本端的 FIN 被确认之前到达。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Waits 2×MSL (60 s on Linux) so late segments die out and the last ACK can be resent.</source>
        <translation>等待 2×MSL（Linux 上为 60 秒），让迟到的报文段消失，并在需要时重发最后一个 ACK。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The peer has closed (its FIN arrived); waits for this application to call close().</source>
        <translation>对端已关闭（其 FIN 已到达）；等待本端应用程序调用 close()。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Closed after the peer did and sent a FIN; waits for the ACK of that FIN.</source>
        <translation>在对端之后关闭并发出了 FIN；等待对这个 FIN 的 ACK。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Not an edge of RFC 9293&apos;s diagram. Linux moves a socket straight to CLOSE from any state when the connection is aborted: a RST arrived, or this side sent one because close() found unread data or SO_LINGER was 0, or a timer gave up.</source>
        <translation>这不是 RFC 9293 状态图中的边。连接被中止时，Linux 会把套接字从任何状态直接转到 CLOSE：收到了复位报文段（RST）；或者因为 close() 时还有未读数据、或 SO_LINGER 为 0，本端发出了 RST；或者某个定时器放弃了重试。</translation>
    </message>
    <message>
        <location line="-64"/>
        <source>Linux: abort (RST)</source>
        <translation>Linux：中止（RST）</translation>
    </message>
    <message>
        <location filename="../../ui/diagram/diagramfigure.cpp" line="+334"/>
        <location filename="../../ui/diagram/diagramroutes.cpp" line="+1"/>
        <source>Linux-specific move</source>
        <translation>Linux 特有的转换</translation>
    </message>
    <message>
        <location line="-235"/>
        <source>listen()</source>
        <translation>listen()</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>close()</source>
        <translation>close()</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>connect() / SYN</source>
        <translation>connect() / 发 SYN</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>close() / timeout / RST</source>
        <translation>close() / 超时 / RST</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>rcv SYN / SYN,ACK</source>
        <translation>收 SYN / 发 SYN,ACK</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>rcv SYN / ACK (simultaneous open)</source>
        <translation>收 SYN / 发 ACK（同时打开）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>rcv ACK</source>
        <translation>收 ACK</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>rcv SYN,ACK / ACK</source>
        <translation>收 SYN,ACK / 发 ACK</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+5"/>
        <location line="+39"/>
        <source>close() / FIN</source>
        <translation>close() / 发 FIN</translation>
    </message>
    <message>
        <location line="-34"/>
        <location line="+22"/>
        <location line="+18"/>
        <source>rcv ACK of FIN</source>
        <translation>收到 FIN 的 ACK</translation>
    </message>
    <message>
        <location line="-35"/>
        <location line="+10"/>
        <location line="+13"/>
        <source>rcv FIN / ACK</source>
        <translation>收 FIN / 发 ACK</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>rcv FIN,ACK / ACK</source>
        <translation>收 FIN,ACK / 发 ACK</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>2MSL timeout (60 s)</source>
        <translation>2MSL 超时（60 秒）</translation>
    </message>
    <message>
        <location line="+135"/>
        <source>client side (connect)</source>
        <translation>客户端（connect）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>server side (listen, accept)</source>
        <translation>服务器端（listen、accept）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>inferred: not read from the kernel</source>
        <translation>推断：并非读自内核</translation>
    </message>
    <message>
        <location filename="../../ui/diagram/diagramscene.cpp" line="+176"/>
        <source>%1 (gone)</source>
        <translation>%1（已消失）</translation>
    </message>
    <message>
        <location line="+113"/>
        <source>Inferred: %1</source>
        <translation>推断：%1</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The kernel no longer has this socket.</source>
        <translation>内核中已没有这个套接字。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Inferred, not read from the kernel: %1</source>
        <translation>推断所得，并非读自内核：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Read from the kernel.</source>
        <translation>读自内核。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>local %1</source>
        <translation>本地 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>peer %1</source>
        <translation>对端 %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>was %1 until accept()</source>
        <translation>accept() 之前为 %1</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>and %1 more</source>
        <translation>另有 %1 个</translation>
    </message>
    <message>
        <location filename="../../ui/diagram/diagrampainter.cpp" line="+221"/>
        <source>RFC: %1</source>
        <translation>RFC：%1</translation>
    </message>
    <message>
        <location filename="../../ui/diagram/statediagramview.cpp" line="+389"/>
        <source>%1 (RFC 9293: %2)</source>
        <translation>%1（RFC 9293：%2）</translation>
    </message>
</context>
<context>
    <name>synack::StepScrubber</name>
    <message>
        <location filename="../../ui/playback/stepscrubber.cpp" line="+24"/>
        <source>Go to a step (number keys 1–9, or Ctrl+G)</source>
        <translation>转到某一步（数字键 1–9，或 Ctrl+G）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Every step of the run: drag or click to go to one</source>
        <translation>本次运行的每一步：拖动或点击即可转到该步</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Before the first step</source>
        <translation>第一步之前</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Step %1: %2</source>
        <translation>第 %1 步：%2</translation>
    </message>
</context>
</TS>
