using System.Net;
using System.Net.Sockets;

namespace MlPlatform.AppHost.Infrastructure;

/// <summary>Picks loopback ports nobody listens on, so AppHosts (a developer's and tests') can run side by side.</summary>
internal static class FreePorts
{
    public static int[] Take(int count)
    {
        // Holding all listeners open until every port is read guarantees the ports differ from each other.
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listeners.Add(listener);
                listener.Start();
            }

            return [.. listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(listener => listener.Dispose());
        }
    }
}
