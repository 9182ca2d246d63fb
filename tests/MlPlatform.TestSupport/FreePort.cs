using System.Net;
using System.Net.Sockets;

namespace MlPlatform.TestSupport;

/// <summary>Finds TCP ports on the loopback interface for servers started by tests.</summary>
public static class FreePort
{
    private static readonly Lock s_gate = new();
    private static readonly HashSet<int> s_handedOut = [];

    /// <summary>
    /// A port on 127.0.0.1 that was free a moment ago. Never returns the same port twice in one
    /// process, because servers starting in parallel would otherwise race for it.
    /// </summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (s_gate)
            {
                if (s_handedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
