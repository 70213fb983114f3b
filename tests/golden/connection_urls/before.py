DATABASE_URL = "postgresql://app:@@password:DATABASE_URL@@@db.example.com:5432/app"
REDIS_URL = 'redis://:@@password:REDIS_URL@@@cache.example.com:6379/0'
MONGO_URL = "mongodb+srv://svc:@@password:MONGO_URL@@@cluster0.example.mongodb.net/app?retryWrites=true"
AMQP_URL = r"amqp://guest:@@password:AMQP_URL@@@mq.example.com:5672/%2f"
DSN = f"mysql://app:@@password:DSN@@@{'db'}.example.com/app"
